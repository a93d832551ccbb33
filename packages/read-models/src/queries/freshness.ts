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

/** How fresh the read models' picture is, for a note beside what they show. */
export interface Freshness {
  /** Store time of the newest event the projections have applied; null before the first. */
  readonly dataAsOf: string | null;
  /** Events in the log not applied yet; null when the log's head is unknown. */
  readonly lagEvents: number | null;
  /** Seconds of store time between the log's newest event and the newest one applied. */
  readonly lagSeconds: number | null;
}

/** The log's newest event; null for an empty log, undefined when the log cannot be read just now. */
export type LogHead = { readonly position: number; readonly recordedAt: string } | null | undefined;

export const freshnessOf = async (rm: ReadModels, head: (() => Promise<LogHead>) | null): Promise<Freshness> => {
  const [builds, logHead] = await Promise.all([liveBuildStates(rm), head === null ? undefined : head()]);
  const newest = builds.reduce<LiveBuildState | undefined>(
    (best, b) => (best === undefined || b.position > best.position ? b : best),
    undefined,
  );
  const dataAsOf = newest?.lastRecordedAt ?? null;
  if (logHead === undefined) return { dataAsOf, lagEvents: null, lagSeconds: null };
  if (logHead === null) return { dataAsOf, lagEvents: 0, lagSeconds: 0 };
  const lagEvents = Math.max(0, logHead.position - (newest?.position ?? 0));
  const lagSeconds =
    lagEvents === 0 || dataAsOf === null
      ? 0
      : Math.max(0, (Date.parse(logHead.recordedAt) - Date.parse(dataAsOf)) / 1000);
  return { dataAsOf, lagEvents, lagSeconds };
};
