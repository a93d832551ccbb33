// An item as the workbench shows it to someone acting on it: its state and revision asked of the API
// (folded from its events, so a form carries the revision it was filled in at as If-Match), and its
// public timeline from the read models (the same redacted history the board shows).
import { type PublicTimelineEntry, publicTimeline } from '@banshishi/read-models';
import type { Request } from 'express';
import { directoryCache } from '../http/directory-cache.js';
import { catalogues } from '../i18n/index.js';
import { Timeline } from '../pages/item.js';
import type { WorkbenchContext } from './context.js';
import type { WorkbenchKit } from './http/kit.js';

export type ItemKind = 'problem' | 'wish';

export interface LoadedItem {
  readonly kind: ItemKind;
  readonly id: string;
  readonly revision: number;
  readonly status: string;
  /** The decider's state, as the API returns it (GET /problems/{id}). */
  readonly state: Readonly<Record<string, unknown>>;
  readonly timeline: readonly PublicTimelineEntry[];
}

const collection = { problem: 'problems', wish: 'wishes' } as const;

/** Ids the workbench passes on to the API: anything else is a 404 here, never sent on. */
export const isItemId = (id: string) => /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(id);

/** The item, or null when there is none or this person may not see it (the API's 404). */
export const loadItem = async (
  kit: WorkbenchKit,
  ctx: WorkbenchContext,
  req: Request,
  kind: ItemKind,
  id: string,
): Promise<LoadedItem | null> => {
  if (!isItemId(id)) return null;
  const answer = await kit.read(ctx, req, `/${collection[kind]}/${encodeURIComponent(id)}`);
  if (answer.status !== 200) return null;
  const body = answer.body as { revision: number; status: string; state: Record<string, unknown> };
  const timeline = await publicTimeline(kit.deps.readModels, kind, id);
  return { kind, id, revision: body.revision, status: body.status, state: body.state, timeline };
};

const directories = new WeakMap<object, ReturnType<typeof directoryCache>>();

/** The public directory (unit names), read at most every few seconds. */
export const directoryOf = (kit: WorkbenchKit) => {
  let reader = directories.get(kit);
  if (reader === undefined) {
    reader = directoryCache({ readModels: kit.deps.readModels });
    directories.set(kit, reader);
  }
  return reader();
};

/** A unit's public name, or its id when the directory does not know it. */
export const unitName = async (kit: WorkbenchKit, unitId: string | null | undefined): Promise<string> =>
  unitId == null ? '—' : ((await directoryOf(kit)).unitById.get(unitId)?.name ?? unitId);

/** The item's timeline as the board shows it; the timeline may trail the state by a moment (projections). */
export const ItemTimeline = ({
  ctx,
  dir,
  item,
}: {
  ctx: WorkbenchContext;
  dir: Awaited<ReturnType<typeof directoryOf>>;
  item: LoadedItem;
}) => (
  <section aria-labelledby="timeline-heading">
    <h2 id="timeline-heading">{ctx.m.item.timeline}</h2>
    <Timeline ctx={{ m: catalogues[ctx.lang] }} dir={dir} entries={item.timeline} />
  </section>
);
