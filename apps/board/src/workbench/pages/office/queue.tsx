// 调度台: the office's dispatch queue as the API answers it (GET /me/queue), one table per list with its
// count, each item linked to its page where the office acts on it. Problems show their title (public);
// wishes their category, never the wisher.
import { shownDate, shownMoment } from '../../../views/context.js';
import type { WorkbenchContext } from '../../context.js';
import { workbenchBase } from '../../http/session.js';
import { byLang } from '../../i18n/index.js';
import { type OfficeMessages, office } from '../../i18n/office.js';
import { WorkbenchLayout } from '../../layout.js';
import type { ProblemWork, WishWork } from '../claims.js';

/** A problem of the office's queue: a work row with when it was solved and how often it was reworked. */
export interface QueueProblem extends ProblemWork {
  readonly solvedAt: string | null;
  readonly reworkCount: number;
}

/** A wish of the office's queue: a work row with when its wisher confirmed it. */
export interface QueueWish extends WishWork {
  readonly confirmedAt: string | null;
}

export interface OfficeQueueAnswer {
  readonly toRoute: readonly QueueProblem[];
  readonly overdue: readonly QueueProblem[];
  readonly reopened: readonly QueueProblem[];
  readonly awaitingVerdict: readonly QueueProblem[];
  readonly toShowcase: readonly QueueWish[];
  readonly unclaimedWishes: readonly QueueWish[];
  readonly freshness?: { readonly asOf?: string };
}

const day = 86_400_000;

/** Whole days from a promised date to today (local), 0 when not yet past. */
export const daysPast = (promisedBy: string | null, now: string): number => {
  if (promisedBy === null) return 0;
  const days = Math.floor((Date.parse(now.slice(0, 10)) - Date.parse(promisedBy.slice(0, 10))) / day);
  return Number.isNaN(days) ? 0 : Math.max(0, days);
};

type ProblemColumn = 'claimedAt' | 'promisedBy' | 'daysOverdue' | 'solvedAt';

const ProblemTable = ({
  ctx,
  q,
  id,
  rows,
  columns,
}: {
  ctx: WorkbenchContext;
  q: OfficeMessages['queue'];
  id: keyof OfficeMessages['queue']['sections'];
  rows: readonly QueueProblem[];
  columns: readonly ProblemColumn[];
}) => (
  <section aria-labelledby={`queue-${id}`}>
    <h2 id={`queue-${id}`}>
      {q.sections[id]}
      <span class="count">{q.count(rows.length)}</span>
    </h2>
    {rows.length === 0 ? (
      <p>{q.empty}</p>
    ) : (
      <div class="table-wrap">
        <table data-testid={`queue-${id}`}>
          <thead>
            <tr>
              <th scope="col">{q.title}</th>
              <th scope="col">{q.status}</th>
              <th scope="col">{q.unit}</th>
              <th scope="col">{q.raisedAt}</th>
              {columns.map((c) => (
                <th scope="col">{q[c]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr>
                <th scope="row">
                  <a href={`${workbenchBase}/problems/${encodeURIComponent(p.problemId)}`}>{p.title}</a>
                  <span class="meta">
                    {` ${p.problemId} · ${ctx.labels.grade[p.grade] ?? p.grade}`}
                    {p.reworkCount > 0 && ` · ${q.reworks(p.reworkCount)}`}
                  </span>
                </th>
                <td>
                  {ctx.labels.problemStatus[p.status] ?? p.status}
                  {p.overdue && <strong class="overdue">{` ${q.overdueMark}`}</strong>}
                </td>
                <td>{p.unitName ?? p.unitId}</td>
                <td>{shownMoment(p.solicitedAt)}</td>
                {columns.map((c) => (
                  <td>
                    {c === 'claimedAt'
                      ? shownMoment(p.claimedAt)
                      : c === 'promisedBy'
                        ? shownDate(p.promisedBy)
                        : c === 'solvedAt'
                          ? shownMoment(p.solvedAt)
                          : q.days(daysPast(p.promisedBy, ctx.now))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
  </section>
);

const WishTable = ({
  ctx,
  q,
  id,
  rows,
}: {
  ctx: WorkbenchContext;
  q: OfficeMessages['queue'];
  id: 'toShowcase' | 'unclaimedWishes';
  rows: readonly QueueWish[];
}) => (
  <section aria-labelledby={`queue-${id}`}>
    <h2 id={`queue-${id}`}>
      {q.sections[id]}
      <span class="count">{q.count(rows.length)}</span>
    </h2>
    {rows.length === 0 ? (
      <p>{q.empty}</p>
    ) : (
      <div class="table-wrap">
        <table data-testid={`queue-${id}`}>
          <thead>
            <tr>
              <th scope="col">{q.wish}</th>
              <th scope="col">{q.status}</th>
              <th scope="col">{q.unit}</th>
              <th scope="col">{q.collectedAt}</th>
              {id === 'toShowcase' && <th scope="col">{q.confirmedAt}</th>}
              {id === 'toShowcase' && <th scope="col">{q.consent}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((w) => (
              <tr>
                <th scope="row">
                  <a href={`${workbenchBase}/wishes/${encodeURIComponent(w.wishId)}`}>
                    {`${ctx.labels.wishCategory[w.category] ?? w.category} · ${w.wishId}`}
                  </a>
                </th>
                <td>{ctx.labels.wishStatus[w.status] ?? w.status}</td>
                <td>{w.unitName ?? w.unitId}</td>
                <td>{shownMoment(w.collectedAt)}</td>
                {id === 'toShowcase' && <td>{shownMoment(w.confirmedAt)}</td>}
                {id === 'toShowcase' && <td>{q.consentLabel[w.consent] ?? w.consent}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
  </section>
);

export const OfficeQueuePage = ({ ctx, queue }: { ctx: WorkbenchContext; queue: OfficeQueueAnswer }) => {
  const q = byLang(office, ctx.lang).queue;
  const asOf = queue.freshness?.asOf;
  return (
    <WorkbenchLayout ctx={ctx} title={q.heading} active="office">
      <h1>{q.heading}</h1>
      <p>{q.intro}</p>
      {asOf !== undefined && <p class="meta">{q.freshness(shownMoment(asOf))}</p>}
      <ProblemTable ctx={ctx} q={q} id="toRoute" rows={queue.toRoute} columns={[]} />
      <ProblemTable
        ctx={ctx}
        q={q}
        id="overdue"
        rows={queue.overdue}
        columns={['claimedAt', 'promisedBy', 'daysOverdue']}
      />
      <ProblemTable ctx={ctx} q={q} id="reopened" rows={queue.reopened} columns={['claimedAt', 'promisedBy']} />
      <ProblemTable ctx={ctx} q={q} id="awaitingVerdict" rows={queue.awaitingVerdict} columns={['solvedAt']} />
      <WishTable ctx={ctx} q={q} id="toShowcase" rows={queue.toShowcase} />
      <WishTable ctx={ctx} q={q} id="unclaimedWishes" rows={queue.unclaimedWishes} />
    </WorkbenchLayout>
  );
};

/** Anyone not the office: the queue, the directory and the campaigns are not theirs to see. */
export const NotOfficePage = ({ ctx, heading }: { ctx: WorkbenchContext; heading: string }) => {
  const q = byLang(office, ctx.lang).queue;
  return (
    <WorkbenchLayout ctx={ctx} title={heading}>
      <h1>{heading}</h1>
      <p role="alert" data-rule="api.queue_not_office">
        {q.notOffice}
      </p>
      <p>
        <a href={workbenchBase}>{ctx.m.errors.back}</a>
      </p>
    </WorkbenchLayout>
  );
};
