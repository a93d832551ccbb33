// 探亲动态: what 党员干部结新亲 may show the public — visits per unit and month with the check-in results,
// pairings per unit and kind of household, and the anonymised diary excerpts whose household consents
// now. Counts and excerpts only: never a household's name, address or location (docs/domain.md, "Pairing").
import type { PairingCategoryCounts, PairingExcerpt, PairingVisitCounts } from '@banshishi/read-models';
import { TableRegion } from '../views/components.js';
import type { PageContext } from '../views/context.js';
import { Layout } from '../views/layout.js';

export interface PairingData {
  readonly visits: readonly PairingVisitCounts[];
  readonly pairings: readonly PairingCategoryCounts[];
  readonly excerpts: readonly PairingExcerpt[];
}

export const PairingPage = ({ ctx, data }: { ctx: PageContext; data: PairingData }) => {
  const { m } = ctx;
  const p = m.pairing;
  const category = (c: string) => p.categories[c] ?? c;
  return (
    <Layout ctx={ctx} title={p.heading} active="pairing">
      <h1>{p.heading}</h1>
      <p class="note">{p.intro}</p>

      <h2 id="visits">{p.visitsHeading}</h2>
      {data.visits.length === 0 ? (
        <p>{p.noVisits}</p>
      ) : (
        <TableRegion label={p.visitsHeading}>
          <table>
            <caption>{p.visitsCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{p.month}</th>
                <th scope="col">{p.unit}</th>
                <th scope="col" class="num">
                  {p.visits}
                </th>
                <th scope="col" class="num">
                  {p.near}
                </th>
                <th scope="col" class="num">
                  {p.far}
                </th>
                <th scope="col" class="num">
                  {p.unchecked}
                </th>
                <th scope="col" class="num">
                  {p.noCheckIn}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.visits.map((v) => (
                <tr>
                  <td>{v.month}</td>
                  <th scope="row">{v.unitName}</th>
                  <td class="num">{v.visits}</td>
                  <td class="num">{v.near}</td>
                  <td class="num">{v.far}</td>
                  <td class="num">{v.unchecked}</td>
                  <td class="num">{v.none}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}

      <h2 id="pairings">{p.pairingsHeading}</h2>
      {data.pairings.length === 0 ? (
        <p>{p.noPairings}</p>
      ) : (
        <TableRegion label={p.pairingsHeading}>
          <table>
            <caption>{p.pairingsCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{p.unit}</th>
                <th scope="col">{p.category}</th>
                <th scope="col" class="num">
                  {p.active}
                </th>
                <th scope="col" class="num">
                  {p.ended}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.pairings.map((c) => (
                <tr>
                  <th scope="row">{c.unitName}</th>
                  <td>{category(c.category)}</td>
                  <td class="num">{c.active}</td>
                  <td class="num">{c.ended}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}

      <h2 id="excerpts">{p.excerptsHeading}</h2>
      <p class="note">{p.excerptsIntro}</p>
      {data.excerpts.length === 0 ? (
        <p>{p.noExcerpts}</p>
      ) : (
        <ul class="stories">
          {data.excerpts.map((x) => (
            <li class="story">
              <p>{x.excerpt}</p>
              <p class="meta">
                {category(x.category)} · {x.unitName} · {x.month}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
};
