// 走访: visits per unit for one month (入户走访, 五问五解决, 处长网格员; and the five topics asked about), where
// each secretary with a quota stands (第一书记 每月走访不少于20户), and 现场解决: per unit, the share of the
// problems met on visits that were solved on the spot. Counts only: no household, no day, no place.
import type { OnSiteShare, UnitVisitCounts, VisitQuotaEntry } from '@banshishi/read-models';
import { TableRegion } from '../views/components.js';
import { type PageContext, percent } from '../views/context.js';
import { Layout } from '../views/layout.js';

export interface VisitsData {
  readonly month: string | null;
  readonly months: readonly string[];
  readonly counts: readonly UnitVisitCounts[];
  readonly quotas: readonly VisitQuotaEntry[];
  readonly onSite: readonly OnSiteShare[];
}

const kinds = ['door_to_door', 'grid_five_questions', 'official_grid_day'] as const;
const topics = ['production', 'environment', 'culture', 'suggestions', 'living'] as const;

export const VisitsPage = ({ ctx, data }: { ctx: PageContext; data: VisitsData }) => {
  const { m } = ctx;
  const v = m.visits;
  const unitLink = (unitId: string, name: string) => <a href={`/units/${encodeURIComponent(unitId)}`}>{name}</a>;
  return (
    <Layout ctx={ctx} title={v.heading} active="visits">
      <h1>{v.heading}</h1>
      <p class="note">{v.intro}</p>
      <form class="filters" method="get" action="/visits">
        <div class="field">
          <label for="f-month">{v.month}</label>
          <select id="f-month" name="month">
            {data.months.map((mo) => (
              <option value={mo} selected={mo === data.month}>
                {mo}
              </option>
            ))}
          </select>
        </div>
        <div class="actions">
          <button type="submit">{v.show}</button>
        </div>
      </form>
      <section aria-labelledby="visit-counts">
        <h2 id="visit-counts">
          {v.countsHeading}
          {data.month === null ? '' : ` · ${data.month}`}
        </h2>
        {data.counts.length === 0 ? (
          <p>{v.none}</p>
        ) : (
          <TableRegion label={v.countsHeading}>
            <table>
              <caption>{v.countsCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{v.unit}</th>
                  <th scope="col" class="num">
                    {v.total}
                  </th>
                  {kinds.map((k) => (
                    <th scope="col" class="num">
                      {v.kind[k]}
                    </th>
                  ))}
                  {topics.map((t) => (
                    <th scope="col" class="num">
                      {v.topic[t]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.counts.map((c) => (
                  <tr>
                    <th scope="row">{unitLink(c.unitId, c.unitName)}</th>
                    <td class="num">{c.total}</td>
                    {kinds.map((k) => (
                      <td class="num">{c.byKind[k] ?? 0}</td>
                    ))}
                    {topics.map((t) => (
                      <td class="num">{c.byTopic[t] ?? 0}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
      </section>
      <section aria-labelledby="visit-quotas">
        <h2 id="visit-quotas">{v.quotaHeading}</h2>
        <p class="note">{v.quotaRule}</p>
        {data.quotas.length === 0 ? (
          <p>{v.noQuota}</p>
        ) : (
          <TableRegion label={v.quotaHeading}>
            <table>
              <caption>{v.quotaCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{v.secretary}</th>
                  <th scope="col">{v.unit}</th>
                  <th scope="col" class="num">
                    {v.required}
                  </th>
                  <th scope="col" class="num">
                    {v.visited}
                  </th>
                  <th scope="col">{v.standing}</th>
                </tr>
              </thead>
              <tbody>
                {data.quotas.map((q) => (
                  <tr>
                    <th scope="row">{q.publicName ?? q.personId}</th>
                    <td>{unitLink(q.unitId, q.unitName)}</td>
                    <td class="num">{q.required}</td>
                    <td class="num">{q.visited}</td>
                    <td>{q.met ? v.met : v.short(q.shortfall)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
      </section>
      <section aria-labelledby="on-site">
        <h2 id="on-site">{v.onSiteHeading}</h2>
        <p class="note">{v.onSiteIntro}</p>
        {data.onSite.length === 0 ? (
          <p>{v.noOnSite}</p>
        ) : (
          <TableRegion label={v.onSiteHeading}>
            <table>
              <caption>{v.onSiteCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{v.unit}</th>
                  <th scope="col" class="num">
                    {v.metOnVisits}
                  </th>
                  <th scope="col" class="num">
                    {v.solvedOnSite}
                  </th>
                  <th scope="col" class="num">
                    {v.share}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.onSite.map((s) => (
                  <tr>
                    <th scope="row">{unitLink(s.unitId, s.unitName)}</th>
                    <td class="num">{s.metOnVisits}</td>
                    <td class="num">{s.solvedOnSite}</td>
                    <td class="num">{percent(s.share)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
      </section>
    </Layout>
  );
};
