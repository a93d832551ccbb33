// The board's tables as CSV and JSON: the 公示栏 list with exactly the page's filters (decoded by
// routes/filters.ts, so a download is the rows the reader sees), the 亮梦 showcase, and one item's
// timeline. Every column comes from the public read models; moments are local time with their offset.
import {
  countPublicProblems,
  countPublicWishes,
  listPublicProblems,
  listPublicWishes,
  type PublicProblem,
  type PublicTimelineEntry,
  type PublicWish,
  publicProblem,
  publicTimeline,
  type ShowcaseEntry,
  showcase,
} from '@banshishi/read-models';
import { type Request, type Response, Router } from 'express';
import { type BoardDeps, figuresAsOf, localMoment } from '../http/deps.js';
import { type DirectorySnapshot, directoryCache } from '../http/directory-cache.js';
import { NotFound } from '../http/errors.js';
import { identifier, known, oneOf, param, rawParam } from '../http/params.js';
import { languageOf } from '../http/render.js';
import { type Column, sendTable, type TableFormat } from '../http/tables.js';
import { catalogues, type Messages } from '../i18n/index.js';
import { pagingOf, problemFilterOf, wishFilterOf } from './filters.js';

/** An export without `page` is every matching row, up to this many; beyond it the reader is told so. */
export const exportCap = 50_000;

const formats: readonly TableFormat[] = ['csv', 'json'];

/** A stored moment (UTC ISO) as the board writes moments: local time with `+08:00`. */
export const localOf = (at: string | null): string | null => {
  if (at === null) return null;
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? at : localMoment(new Date(ms));
};

/** A unit's ancestors and itself, district first, as ids joined by `/`: the path a filter matches on. */
const pathOf = (ids: readonly (string | null)[]): string => ids.filter((id) => id !== null).join('/');

const unitPathOf = (dir: DirectorySnapshot, unitId: string): string => {
  const u = dir.unitById.get(unitId);
  return u === undefined ? unitId : pathOf([u.level1_id, u.level2_id, u.level3_id, u.level4_id]);
};

const unitNameOf = (dir: DirectorySnapshot, unitId: string | null): string | null =>
  unitId === null ? null : (dir.unitById.get(unitId)?.name ?? null);

type Header = (m: Messages) => string;
const h =
  (key: keyof Messages['exports']): Header =>
  (m) =>
    m.exports[key];

export const problemColumns = (m: Messages, dir: DirectorySnapshot): readonly Column<PublicProblem>[] => [
  { key: 'id', header: h('id'), value: (p) => p.problem_id },
  { key: 'url', header: h('link'), value: (p) => `/problems/${encodeURIComponent(p.problem_id)}` },
  { key: 'title', header: h('title'), value: (p) => p.title },
  { key: 'status', header: h('status'), value: (p) => p.status },
  { key: 'statusLabel', header: h('statusLabel'), value: (p) => m.labels.problemStatus[p.status] ?? p.status },
  { key: 'source', header: h('source'), value: (p) => p.source },
  { key: 'grade', header: h('grade'), value: (p) => p.grade },
  { key: 'category', header: h('category'), value: (p) => p.category },
  { key: 'raiserKind', header: h('raiserKind'), value: (p) => p.raiser_kind },
  { key: 'enterpriseName', header: h('enterpriseName'), value: (p) => p.enterprise_name },
  { key: 'unitId', header: h('unitId'), value: (p) => p.unit_id },
  { key: 'unitName', header: h('unitName'), value: (p) => p.unit_name },
  {
    key: 'unitPath',
    header: h('unitPath'),
    value: (p) => pathOf([p.unit_path.level1, p.unit_path.level2, p.unit_path.level3, p.unit_path.level4]),
  },
  { key: 'originUnitId', header: h('originUnitId'), value: (p) => p.origin_unit_id },
  { key: 'originUnitName', header: h('originUnitName'), value: (p) => unitNameOf(dir, p.origin_unit_id) },
  { key: 'claimantName', header: h('claimantName'), value: (p) => p.claimant_name },
  { key: 'claimantRole', header: h('claimantRole'), value: (p) => p.claimant_role },
  { key: 'claimantUnitName', header: h('claimantUnitName'), value: (p) => p.claimant_unit_name },
  { key: 'plan', header: h('plan'), value: (p) => p.plan },
  { key: 'promisedBy', header: h('promisedBy'), value: (p) => p.promised_by },
  { key: 'overdue', header: h('overdue'), value: (p) => p.overdue },
  { key: 'raisedAt', header: h('raisedAt'), value: (p) => localOf(p.solicited_at) },
  { key: 'firstClaimedAt', header: h('firstClaimedAt'), value: (p) => localOf(p.first_claimed_at) },
  { key: 'claimedAt', header: h('claimedAt'), value: (p) => localOf(p.claimed_at) },
  { key: 'solvedAt', header: h('solvedAt'), value: (p) => localOf(p.solved_at) },
  { key: 'closedAt', header: h('closedAt'), value: (p) => localOf(p.closed_at) },
  { key: 'rejectedAt', header: h('rejectedAt'), value: (p) => localOf(p.rejected_at) },
  { key: 'solutionSummary', header: h('solution'), value: (p) => p.solution_summary },
  { key: 'evidenceCount', header: h('evidenceCount'), value: (p) => p.evidence_count },
  { key: 'closeBasis', header: h('closeBasis'), value: (p) => p.close_basis },
  { key: 'closingVerdict', header: h('closingVerdict'), value: (p) => p.closing_verdict },
  { key: 'rejectionGround', header: h('rejectionGround'), value: (p) => p.rejection_ground },
  { key: 'rejectionReason', header: h('rejectionReason'), value: (p) => p.rejection_reason },
  { key: 'duplicateOf', header: h('duplicateOf'), value: (p) => p.duplicate_of },
  { key: 'escalationCount', header: h('escalations'), value: (p) => p.escalation_count },
  { key: 'reworkCount', header: h('reworks'), value: (p) => p.rework_count },
  { key: 'supervisionCount', header: h('supervisions'), value: (p) => p.supervision_count },
  { key: 'evaluationCount', header: h('evaluations'), value: (p) => p.evaluation_count },
  { key: 'lastVerdict', header: h('lastVerdict'), value: (p) => p.last_verdict },
  { key: 'lastEventAt', header: h('lastEventAt'), value: (p) => localOf(p.last_event_at) },
];

export const wishColumns = (m: Messages, dir: DirectorySnapshot): readonly Column<PublicWish>[] => [
  { key: 'id', header: h('id'), value: (w) => w.wish_id },
  { key: 'url', header: h('link'), value: (w) => `/wishes/${encodeURIComponent(w.wish_id)}` },
  { key: 'description', header: h('wish'), value: (w) => w.description },
  { key: 'category', header: h('category'), value: (w) => w.category },
  { key: 'status', header: h('status'), value: (w) => w.status },
  { key: 'statusLabel', header: h('statusLabel'), value: (w) => m.labels.wishStatus[w.status] ?? w.status },
  { key: 'consent', header: h('consent'), value: (w) => w.consent },
  { key: 'unitId', header: h('unitId'), value: (w) => w.unit_id },
  { key: 'unitName', header: h('unitName'), value: (w) => w.unit_name },
  { key: 'unitPath', header: h('unitPath'), value: (w) => unitPathOf(dir, w.unit_id) },
  { key: 'collectorRole', header: h('collectorRole'), value: (w) => w.collector_role },
  { key: 'claimantName', header: h('member'), value: (w) => w.claimant_name },
  { key: 'collectedAt', header: h('collectedAt'), value: (w) => localOf(w.collected_at) },
  { key: 'firstClaimedAt', header: h('firstClaimedAt'), value: (w) => localOf(w.first_claimed_at) },
  { key: 'claimedAt', header: h('claimedAt'), value: (w) => localOf(w.claimed_at) },
  { key: 'fulfilledAt', header: h('fulfilledAt'), value: (w) => localOf(w.fulfilled_at) },
  { key: 'confirmedAt', header: h('confirmedAt'), value: (w) => localOf(w.confirmed_at) },
  { key: 'showcasedAt', header: h('showcasedAt'), value: (w) => localOf(w.showcased_at) },
  { key: 'cancelledAt', header: h('cancelledAt'), value: (w) => localOf(w.cancelled_at) },
  { key: 'fulfilmentSummary', header: h('fulfilment'), value: (w) => w.fulfilment_summary },
  { key: 'evidenceCount', header: h('evidenceCount'), value: (w) => w.evidence_count },
  { key: 'confirmedOnBehalf', header: h('confirmedOnBehalf'), value: (w) => w.confirmed_on_behalf },
  { key: 'reopenCount', header: h('reopens'), value: (w) => w.reopen_count },
  { key: 'releaseCount', header: h('releases'), value: (w) => w.release_count },
  { key: 'cancelGrounds', header: h('cancelGrounds'), value: (w) => w.cancel_grounds },
  { key: 'lastEventAt', header: h('lastEventAt'), value: (w) => localOf(w.last_event_at) },
];

export const showcaseColumns = (dir: DirectorySnapshot): readonly Column<ShowcaseEntry>[] => [
  { key: 'id', header: h('id'), value: (s) => s.wish_id },
  { key: 'url', header: h('link'), value: (s) => `/wishes/${encodeURIComponent(s.wish_id)}` },
  { key: 'category', header: h('category'), value: (s) => s.category },
  { key: 'unitId', header: h('unitId'), value: (s) => s.unit_id },
  { key: 'unitName', header: h('unitName'), value: (s) => s.unit_name },
  { key: 'unitPath', header: h('unitPath'), value: (s) => unitPathOf(dir, s.unit_id) },
  { key: 'memberName', header: h('member'), value: (s) => s.member_name },
  { key: 'story', header: h('story'), value: (s) => s.story },
  { key: 'shownAs', header: h('shownAs'), value: (s) => s.shown_as },
  { key: 'maskedName', header: h('maskedName'), value: (s) => s.masked_name },
  { key: 'fulfilledAt', header: h('fulfilledAt'), value: (s) => localOf(s.fulfilled_at) },
  { key: 'showcasedAt', header: h('showcasedAt'), value: (s) => localOf(s.showcased_at) },
];

export const timelineColumns = (m: Messages): readonly Column<PublicTimelineEntry>[] => [
  { key: 'revision', header: h('revision'), value: (e) => e.revision },
  { key: 'occurredAt', header: h('occurredAt'), value: (e) => localOf(e.occurred_at) },
  { key: 'event', header: h('event'), value: (e) => e.event_type },
  { key: 'eventLabel', header: h('eventLabel'), value: (e) => m.labels.event[e.event_type] ?? e.event_type },
  { key: 'actorRole', header: h('actorRole'), value: (e) => e.actor_role },
  { key: 'actorName', header: h('actorName'), value: (e) => e.actor_name },
  // The whitelisted payload (public-fields.ts) as it is stored: one JSON text, so a spreadsheet keeps it whole.
  { key: 'details', header: h('details'), value: (e) => JSON.stringify(e.details) },
];

/** A path segment that must be an item id; anything else is a resource that does not exist. */
const itemIdOf = (req: Request): string => {
  const id = String(req.params.id ?? '');
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(id)) throw new NotFound(req.path);
  return id;
};

/**
 * The window an export reads: the page asked for, or (no `page`) every row up to the cap. `page_size`
 * alone still means "all": it only shapes pages, and a download link keeps the page's filter without it.
 */
const windowOf = (req: Request, cap: number): { limit: number; offset: number; paged: boolean } => {
  const paged = rawParam(req, 'page') !== undefined;
  const { page, pageSize } = pagingOf(req);
  return paged ? { limit: pageSize, offset: (page - 1) * pageSize, paged } : { limit: cap, offset: 0, paged };
};

/** `cap` is for specs, which cannot seed fifty thousand items to see the cap at work. */
export const exportRoutes = (deps: BoardDeps, options: { readonly cap?: number } = {}): Router => {
  const cap = options.cap ?? exportCap;
  const router = Router();
  const directory = directoryCache(deps);
  const rm = deps.readModels;
  const evaluation = deps.evaluation === undefined ? {} : { config: deps.evaluation };
  const readerOf = (req: Request) => ({ m: catalogues[languageOf(req)], asOf: figuresAsOf(deps) });

  for (const format of formats) {
    router.get(`/disclosure.${format}`, async (req: Request, res: Response) => {
      const kind = param(req, 'kind', oneOf(['problems', 'wishes'] as const)) ?? 'problems';
      const dir = await directory();
      const { m, asOf } = readerOf(req);
      const { paged, ...window } = windowOf(req, cap);
      if (kind === 'problems') {
        const query = { ...problemFilterOf(req, dir, asOf).query, ...evaluation };
        const [rows, total] = await Promise.all([
          listPublicProblems(rm, { ...query, ...window }),
          countPublicProblems(rm, query),
        ]);
        sendTable(res, format, {
          name: 'disclosure-problems',
          columns: problemColumns(m, dir),
          rows,
          asOf,
          m,
          ...(!paged && total > rows.length ? { capped: { limit: cap, total } } : {}),
        });
      } else {
        const { query } = wishFilterOf(req, dir);
        const [rows, total] = await Promise.all([
          listPublicWishes(rm, { ...query, ...window }),
          countPublicWishes(rm, query),
        ]);
        sendTable(res, format, {
          name: 'disclosure-wishes',
          columns: wishColumns(m, dir),
          rows,
          asOf,
          m,
          ...(!paged && total > rows.length ? { capped: { limit: cap, total } } : {}),
        });
      }
    });

    router.get(`/showcase.${format}`, async (req: Request, res: Response) => {
      const dir = await directory();
      const unitId = known('unit', param(req, 'unit', identifier), (id) => dir.unitById.has(id));
      const { m, asOf } = readerOf(req);
      // One more than the cap tells a complete list from a cut one without a second query.
      const rows = await showcase(rm, { limit: cap + 1, ...(unitId === undefined ? {} : { unitId }) });
      const capped = rows.length > cap;
      sendTable(res, format, {
        name: 'showcase',
        columns: showcaseColumns(dir),
        rows: capped ? rows.slice(0, cap) : rows,
        asOf,
        m,
        ...(capped ? { capped: { limit: cap } } : {}),
      });
    });

    router.get(`/problems/:id/timeline.${format}`, async (req: Request, res: Response) => {
      const id = itemIdOf(req);
      const { m, asOf } = readerOf(req);
      const [problem, rows] = await Promise.all([
        publicProblem(rm, id, asOf, deps.evaluation),
        publicTimeline(rm, 'problem', id),
      ]);
      if (problem === undefined) throw new NotFound(`problem ${id}`);
      sendTable(res, format, { name: `problem-${id}-timeline`, columns: timelineColumns(m), rows, asOf, m });
    });

    router.get(`/wishes/:id/timeline.${format}`, async (req: Request, res: Response) => {
      const id = itemIdOf(req);
      const { m, asOf } = readerOf(req);
      const [wishes, rows] = await Promise.all([
        listPublicWishes(rm, { wishIds: [id], limit: 1 }),
        publicTimeline(rm, 'wish', id),
      ]);
      if (wishes[0] === undefined) throw new NotFound(`wish ${id}`);
      sendTable(res, format, { name: `wish-${id}-timeline`, columns: timelineColumns(m), rows, asOf, m });
    });
  }

  return router;
};
