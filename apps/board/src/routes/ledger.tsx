// A unit's 问题清单和需求台账: the page (/units/:id/ledger) and the same rows as CSV and JSON
// (/units/:id/ledger.csv?kind=problems|wishes), the columns declared once for both downloads.
import { type LedgerProblem, type PublicWish, unitLedger } from '@banshishi/read-models';
import { type Request, type Response, Router } from 'express';
import { type BoardDeps, figuresAsOf } from '../http/deps.js';
import { directoryCache } from '../http/directory-cache.js';
import { NotFound } from '../http/errors.js';
import { oneOf, param } from '../http/params.js';
import { languageOf, pageContext, sendPage } from '../http/render.js';
import { type Column, sendTable, type TableFormat } from '../http/tables.js';
import { catalogues, type Messages } from '../i18n/index.js';
import { LedgerPage } from '../pages/ledger.js';
import { exportCap, localOf } from './exports.js';

/** Rows of each list the page shows; a district's whole ledger is a download, not a page. */
export const ledgerPageLimit = 300;

type Header = (m: Messages) => string;
const h =
  (key: keyof Messages['ledger']['columns']): Header =>
  (m) =>
    m.ledger.columns[key];

/** The local date of a stored moment (`2021-05-03`), as the page shows it. */
const dateOf = (at: string | null): string | null => localOf(at)?.slice(0, 10) ?? null;

export const ledgerProblemColumns = (m: Messages): readonly Column<LedgerProblem & { number: number }>[] => [
  { key: 'number', header: h('number'), value: (p) => p.number },
  { key: 'id', header: h('id'), value: (p) => p.problem_id },
  { key: 'url', header: h('link'), value: (p) => `/problems/${encodeURIComponent(p.problem_id)}` },
  { key: 'title', header: h('title'), value: (p) => p.title },
  { key: 'category', header: h('category'), value: (p) => p.category },
  { key: 'grade', header: h('grade'), value: (p) => m.labels.grade[p.grade] ?? p.grade },
  { key: 'status', header: h('status'), value: (p) => p.status },
  { key: 'statusLabel', header: h('statusLabel'), value: (p) => m.labels.problemStatus[p.status] ?? p.status },
  { key: 'holderUnit', header: h('holderUnit'), value: (p) => p.unit_name ?? p.unit_id },
  { key: 'owner', header: h('owner'), value: (p) => p.claimant_name },
  { key: 'ownerUnit', header: h('ownerUnit'), value: (p) => p.claimant_unit_name },
  { key: 'raisedOn', header: h('raisedOn'), value: (p) => p.solicited_date },
  { key: 'claimedOn', header: h('claimedOn'), value: (p) => dateOf(p.claimed_at) },
  { key: 'deadline', header: h('deadline'), value: (p) => p.deadline?.date ?? null },
  { key: 'deadlineKind', header: h('deadlineKind'), value: (p) => p.deadline?.kind ?? null },
  { key: 'overdue', header: h('overdue'), value: (p) => p.overdue },
  { key: 'solvedOn', header: h('solvedOn'), value: (p) => p.solved_date },
  { key: 'verdict', header: h('verdict'), value: (p) => p.last_verdict },
  { key: 'closedOn', header: h('closedOn'), value: (p) => p.closed_date },
  { key: 'rejectedOn', header: h('rejectedOn'), value: (p) => dateOf(p.rejected_at) },
];

export const ledgerWishColumns = (m: Messages): readonly Column<PublicWish & { number: number }>[] => [
  { key: 'number', header: h('number'), value: (w) => w.number },
  { key: 'id', header: h('id'), value: (w) => w.wish_id },
  { key: 'url', header: h('link'), value: (w) => `/wishes/${encodeURIComponent(w.wish_id)}` },
  // As the 公示栏 shows it: the wish in words only where the wisher consented to showing it.
  { key: 'wish', header: h('wish'), value: (w) => w.description },
  { key: 'category', header: h('category'), value: (w) => m.labels.wishCategory[w.category] ?? w.category },
  { key: 'status', header: h('status'), value: (w) => w.status },
  { key: 'statusLabel', header: h('statusLabel'), value: (w) => m.labels.wishStatus[w.status] ?? w.status },
  { key: 'unit', header: h('unit'), value: (w) => w.unit_name ?? w.unit_id },
  { key: 'member', header: h('member'), value: (w) => w.claimant_name },
  { key: 'collectedOn', header: h('collectedOn'), value: (w) => w.collected_date },
  { key: 'claimedOn', header: h('claimedOn'), value: (w) => dateOf(w.claimed_at) },
  { key: 'fulfilledOn', header: h('fulfilledOn'), value: (w) => w.fulfilled_date },
  { key: 'confirmedOn', header: h('confirmedOn'), value: (w) => dateOf(w.confirmed_at) },
  { key: 'cancelledOn', header: h('cancelledOn'), value: (w) => dateOf(w.cancelled_at) },
];

const numbered = <R,>(rows: readonly R[]) => rows.map((r, i) => ({ ...r, number: i + 1 }));

const formats: readonly TableFormat[] = ['csv', 'json'];

/** `cap` and `pageLimit` are for specs, which cannot seed fifty thousand items to see the caps at work. */
export const ledgerRoutes = (
  deps: BoardDeps,
  options: { readonly cap?: number; readonly pageLimit?: number } = {},
): Router => {
  const cap = options.cap ?? exportCap;
  const pageLimit = options.pageLimit ?? ledgerPageLimit;
  const router = Router();
  const directory = directoryCache(deps);
  const rm = deps.readModels;
  const evaluation = deps.evaluation === undefined ? {} : { config: deps.evaluation };

  /** The unit of the path; a unit the directory does not hold is a page that does not exist. */
  const unitOf = async (req: Request) => {
    const id = String(req.params.id ?? '');
    if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(id)) throw new NotFound(req.path);
    const dir = await directory();
    const unit = dir.unitById.get(id);
    if (unit === undefined) throw new NotFound(`unit ${id}`);
    return { dir, unit };
  };

  router.get('/units/:id/ledger', async (req: Request, res: Response) => {
    const { dir, unit } = await unitOf(req);
    const ctx = await pageContext(req, deps);
    const ledger = await unitLedger(rm, {
      unitId: unit.unit_id,
      asOf: ctx.asOf,
      limits: { problems: pageLimit, wishes: pageLimit },
      ...evaluation,
    });
    const ancestors = [unit.level1_id, unit.level2_id, unit.level3_id, unit.level4_id]
      .filter((a): a is string => a !== null && a !== unit.unit_id)
      .map((a) => dir.unitById.get(a))
      .filter((a) => a !== undefined);
    sendPage(res, <LedgerPage ctx={ctx} data={{ unit, ancestors, ...ledger }} />);
  });

  for (const format of formats)
    router.get(`/units/:id/ledger.${format}`, async (req: Request, res: Response) => {
      const { unit } = await unitOf(req);
      const kind = param(req, 'kind', oneOf(['problems', 'wishes'] as const)) ?? 'problems';
      const m = catalogues[languageOf(req)];
      const asOf = figuresAsOf(deps);
      const limits = kind === 'problems' ? { problems: cap, wishes: 0 } : { problems: 0, wishes: cap };
      const ledger = await unitLedger(rm, { unitId: unit.unit_id, asOf, limits, ...evaluation });
      const name = `ledger-${unit.unit_id}-${kind}`;
      const total = kind === 'problems' ? ledger.totals.problems : ledger.totals.wishes;
      const shown = kind === 'problems' ? ledger.problems.length : ledger.wishes.length;
      const capped = total > shown ? { capped: { limit: cap, total } } : {};
      if (kind === 'problems')
        sendTable(res, format, {
          name,
          columns: ledgerProblemColumns(m),
          rows: numbered(ledger.problems),
          asOf,
          m,
          ...capped,
        });
      else
        sendTable(res, format, {
          name,
          columns: ledgerWishColumns(m),
          rows: numbered(ledger.wishes),
          asOf,
          m,
          ...capped,
        });
    });

  return router;
};
