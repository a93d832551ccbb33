// 问题清单和需求台账: one unit's problems and wishes as the ledger its office pins on the wall (挂图作战,
// 逐项销号) — each item numbered in the order raised, with its deadline (时间表), who holds it (任务书) and
// the day it was crossed off (销号). The print stylesheet turns this page into that sheet; CSV has the rows.
import type { LedgerProblem, LedgerTotals, PublicWish, UnitsTable } from '@banshishi/read-models';
import { DataLinks, TableRegion } from '../views/components.js';
import { type PageContext, shownDate, shownMoment } from '../views/context.js';
import { Layout } from '../views/layout.js';

export interface LedgerData {
  readonly unit: UnitsTable;
  readonly ancestors: readonly UnitsTable[];
  readonly problems: readonly LedgerProblem[];
  readonly wishes: readonly PublicWish[];
  readonly totals: LedgerTotals;
}

export const ledgerPath = (unitId: string, suffix = '') => `/units/${encodeURIComponent(unitId)}/ledger${suffix}`;

const Capped = ({ ctx, shown, total }: { ctx: PageContext; shown: number; total: number }) => {
  if (total <= shown) return null;
  return <p class="note">{ctx.m.ledger.capped(shown, total)}</p>;
};

const ProblemList = ({ ctx, rows }: { ctx: PageContext; rows: readonly LedgerProblem[] }) => {
  const { m } = ctx;
  const l = m.ledger;
  return (
    <table class="ledger">
      <thead>
        <tr>
          <th scope="col" class="num">
            {l.number}
          </th>
          <th scope="col">{l.item}</th>
          <th scope="col">{l.status}</th>
          <th scope="col">{l.deadline}</th>
          <th scope="col">{l.owner}</th>
          <th scope="col">{l.holder}</th>
          <th scope="col">{l.solved}</th>
          <th scope="col">{l.closed}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p, i) => (
          <tr class={p.status === 'closed' || p.status === 'rejected' ? 'crossed' : undefined}>
            <td class="num">{i + 1}</td>
            <th scope="row">
              <a href={`/problems/${encodeURIComponent(p.problem_id)}`}>{p.title}</a>
              <span class="meta">
                <span class="item-id">{p.problem_id} · </span>
                {m.labels.grade[p.grade] ?? p.grade}
                {p.category !== null && ` · ${p.category}`} · {l.raised} {shownDate(p.solicited_date)}
              </span>
            </th>
            <td>
              {m.labels.problemStatus[p.status] ?? p.status}
              {p.overdue && <strong class="overdue"> {m.disclosure.overdue}</strong>}
            </td>
            <td class="day">
              {p.deadline === null ? (
                m.labels.none
              ) : (
                <>
                  {p.deadline.date}
                  <span class="meta">{l.dueKind[p.deadline.kind] ?? p.deadline.kind}</span>
                </>
              )}
            </td>
            <td>
              {p.claimant_name ?? m.labels.none}
              {p.claimant_unit_name !== null && p.claimant_unit_name !== p.unit_name && (
                <span class="meta">{p.claimant_unit_name}</span>
              )}
            </td>
            <td>{p.unit_name ?? p.unit_id}</td>
            <td class="day">
              {shownDate(p.solved_date)}
              {p.last_verdict !== null && (
                <span class="meta">{m.labels.verdict[p.last_verdict] ?? p.last_verdict}</span>
              )}
            </td>
            <td class="day">
              {p.status === 'rejected' ? l.rejected(shownDate(p.rejected_at)) : shownDate(p.closed_date)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

const WishList = ({ ctx, rows }: { ctx: PageContext; rows: readonly PublicWish[] }) => {
  const { m } = ctx;
  const l = m.ledger;
  return (
    <table class="ledger">
      <thead>
        <tr>
          <th scope="col" class="num">
            {l.number}
          </th>
          <th scope="col">{l.wish}</th>
          <th scope="col">{l.status}</th>
          <th scope="col">{m.disclosure.where}</th>
          <th scope="col">{l.member}</th>
          <th scope="col">{l.claimed}</th>
          <th scope="col">{l.fulfilled}</th>
          <th scope="col">{l.confirmed}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((w, i) => (
          <tr class={w.confirmed_at !== null || w.status === 'cancelled' ? 'crossed' : undefined}>
            <td class="num">{i + 1}</td>
            <th scope="row">
              <a href={`/wishes/${encodeURIComponent(w.wish_id)}`}>
                {w.description ?? m.labels.wishCategory[w.category] ?? w.category}
              </a>
              <span class="meta">
                <span class="item-id">{w.wish_id} · </span>
                {m.labels.wishCategory[w.category] ?? w.category} · {l.collected} {shownDate(w.collected_date)}
              </span>
            </th>
            <td>{m.labels.wishStatus[w.status] ?? w.status}</td>
            <td>{w.unit_name ?? w.unit_id}</td>
            <td>{w.claimant_name ?? m.labels.none}</td>
            <td class="day">{shownDate(w.claimed_at)}</td>
            <td class="day">{shownDate(w.fulfilled_date)}</td>
            <td class="day">
              {w.status === 'cancelled' ? l.cancelled(shownDate(w.cancelled_at)) : shownDate(w.confirmed_at)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

export const LedgerPage = ({ ctx, data }: { ctx: PageContext; data: LedgerData }) => {
  const { m } = ctx;
  const l = m.ledger;
  const { unit, totals: t } = data;
  const figures = [
    [l.problemsTotal, t.problems],
    [l.problemsOpen, t.problemsOpen],
    [l.problemsOverdue, t.problemsOverdue],
    [l.problemsClosed, t.problemsClosed],
    [l.wishesTotal, t.wishes],
    [l.wishesOpen, t.wishesOpen],
    [l.wishesConfirmed, t.wishesConfirmed],
  ] as const;
  return (
    <Layout ctx={ctx} title={l.heading(unit.name)} active="units">
      <div class="ledger-sheet">
        <nav class="breadcrumb" aria-label={m.unit.path}>
          {data.ancestors.map((a) => (
            <>
              <a href={`/units/${encodeURIComponent(a.unit_id)}`}>{a.name}</a>
              {' › '}
            </>
          ))}
          <a href={`/units/${encodeURIComponent(unit.unit_id)}`}>{unit.name}</a>
        </nav>
        <h1>{l.heading(unit.name)}</h1>
        <p class="kicker">
          {l.motto} · {l.tabulated(shownMoment(ctx.asOf))}
        </p>
        <p class="screen-only">{l.print}</p>
        <section aria-labelledby="ledger-summary">
          <h2 id="ledger-summary">{l.summary}</h2>
          <dl class="figures">
            {figures.map(([name, value]) => (
              <div>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section aria-labelledby="ledger-problems">
          <h2 id="ledger-problems">{l.problems}</h2>
          <DataLinks
            m={m}
            csv={ledgerPath(unit.unit_id, '.csv?kind=problems')}
            json={ledgerPath(unit.unit_id, '.json?kind=problems')}
          />
          {data.problems.length === 0 ? (
            <p>{l.none}</p>
          ) : (
            <TableRegion label={l.tableLabel(l.problems)}>
              <ProblemList ctx={ctx} rows={data.problems} />
            </TableRegion>
          )}
          <Capped ctx={ctx} shown={data.problems.length} total={t.problems} />
        </section>
        <section aria-labelledby="ledger-wishes">
          <h2 id="ledger-wishes">{l.wishes}</h2>
          <DataLinks
            m={m}
            csv={ledgerPath(unit.unit_id, '.csv?kind=wishes')}
            json={ledgerPath(unit.unit_id, '.json?kind=wishes')}
          />
          {data.wishes.length === 0 ? (
            <p>{l.none}</p>
          ) : (
            <TableRegion label={l.tableLabel(l.wishes)}>
              <WishList ctx={ctx} rows={data.wishes} />
            </TableRegion>
          )}
          <Capped ctx={ctx} shown={data.wishes.length} total={t.wishes} />
        </section>
      </div>
    </Layout>
  );
};
