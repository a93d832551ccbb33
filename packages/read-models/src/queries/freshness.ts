// How fresh the read models are: the live build of every projection, with the global position and store
// time of the last event it applied. Projections follow different categories of the log, so the newest of
// them says how far the board's picture reaches; the projector's metrics give each one's own lag.
import type { ReadModels } from '../runtime/builds.js';
import { views } from './views.js';

export interface LiveBuildState {
  readonly projection: string;
  readonly build: number;
  readonly position: number;
  readonly lastRecordedAt: string | null;
  readonly eventsApplied: number;
}

export const liveBuildStates = async (rm: ReadModels): Promise<LiveBuildState[]> => {
  const rows = await views(rm)
    .selectFrom('projection_versions as v')
    .innerJoin('projection_builds as b', (join) =>
      join.onRef('b.projection', '=', 'v.projection').onRef('b.build', '=', 'v.live_build'),
    )
    .select(['b.projection', 'b.build', 'b.position', 'b.last_recorded_at', 'b.events_applied'])
    .orderBy('b.projection')
    .execute();
  return rows.map((r) => ({
    projection: r.projection,
    build: Number(r.build),
    position: Number(r.position),
    lastRecordedAt: r.last_recorded_at,
    eventsApplied: Number(r.events_applied),
  }));
};
