// 单位: the unit tree, and a unit's page at any level: where it sits, its sub-units, its headline figures,
// its figures month by month (a trend chart and its table) and its latest items.
import type { HeadlineFigures, PublicProblem, UnitMonthFigures, UnitsTable } from '@banshishi/read-models';
import type { DirectorySnapshot } from '../http/directory-cache.js';
import { ChartFigure, DataLinks, HeadlineList, TableRegion } from '../views/components.js';
import { type PageContext, percent, shownMoment } from '../views/context.js';
import { Layout } from '../views/layout.js';
import { ledgerPath } from './ledger.js';
import { rateAnchors, rateKeys } from './rankings.js';

const UnitTree = ({ dir, parent }: { dir: DirectorySnapshot; parent: string | null }) => {
  const children = dir.childrenOf.get(parent) ?? [];
  if (children.length === 0) return null;
  return (
    <ul class="tree">
      {children.map((u) => (
        <li>
          <a href={`/units/${encodeURIComponent(u.unit_id)}`}>{u.name}</a>
          <UnitTree dir={dir} parent={u.unit_id} />
        </li>
      ))}
    </ul>
  );
};

export const UnitsIndexPage = ({ ctx, dir }: { ctx: PageContext; dir: DirectorySnapshot }) => (
  <Layout ctx={ctx} title={ctx.m.unit.indexHeading} active="units">
    <h1>{ctx.m.unit.indexHeading}</h1>
    <DataLinks m={ctx.m} csv="/units.csv" json="/units.json" />
    <UnitTree dir={dir} parent={null} />
  </Layout>
);

export interface UnitData {
  readonly unit: UnitsTable;
  readonly ancestors: readonly UnitsTable[];
  readonly children: readonly UnitsTable[];
  readonly headline: HeadlineFigures;
  readonly months: readonly UnitMonthFigures[];
  readonly latest: readonly PublicProblem[];
}

export const UnitPage = ({ ctx, data }: { ctx: PageContext; data: UnitData }) => {
  const { m } = ctx;
  const { unit } = data;
  const id = encodeURIComponent(unit.unit_id);
  return (
    <Layout ctx={ctx} title={unit.name} active="units" charts>
      {data.ancestors.length > 0 && (
        <nav class="breadcrumb" aria-label={m.unit.path}>
          {data.ancestors.map((a) => (
            <>
              <a href={`/units/${encodeURIComponent(a.unit_id)}`}>{a.name}</a>
              {' › '}
            </>
          ))}
        </nav>
      )}
      <h1>{m.unit.heading(unit.name)}</h1>
      <p class="kicker">
        {m.unit.level}: {m.labels.level[String(unit.level)] ?? unit.level}
      </p>
      <HeadlineList m={m} figures={data.headline} unitId={unit.unit_id} />
      <p class="ledger-link">
        <a href={ledgerPath(unit.unit_id)}>{m.ledger.link}</a> <span class="meta">{m.ledger.linkNote}</span>
      </p>
      {data.children.length > 0 && (
        <section aria-labelledby="sub-units">
          <h2 id="sub-units">{m.unit.subUnits}</h2>
          <ul class="tree">
            {data.children.map((c) => (
              <li>
                <a href={`/units/${encodeURIComponent(c.unit_id)}`}>{c.name}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="figures">
        <h2 id="figures">
          {m.unit.figures} <a href="/definitions#counting">{m.rankings.definitionsLink}</a>
        </h2>
        {data.months.length === 0 ? (
          <p>{m.unit.noFigures}</p>
        ) : (
          <ChartFigure
            id="unit-trend"
            caption={m.unit.trendCaption(unit.name)}
            alt={m.unit.trendAlt(unit.name, data.months.length)}
            dataUrl={`/api/charts/units/${id}/trend`}
          >
            <TableRegion label={m.unit.figures}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{m.unit.month}</th>
                    <th scope="col" class="num">
                      {m.unit.raised}
                    </th>
                    <th scope="col" class="num">
                      {m.unit.closed}
                    </th>
                    <th scope="col" class="num">
                      {m.unit.overdue}
                    </th>
                    {rateKeys.map((k) => (
                      <th scope="col" class="num">
                        <a href={`/definitions#${rateAnchors[k]}`}>{m.rankings[k]}</a>
                      </th>
                    ))}
                    <th scope="col" class="num">
                      <a href="/definitions#score">{m.rankings.score}</a>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.months.map((f) => (
                    <tr>
                      <th scope="row" class="day">
                        {f.month}
                      </th>
                      <td class="num">{f.raised}</td>
                      <td class="num">{f.closed}</td>
                      <td class="num">{f.overdue}</td>
                      {rateKeys.map((k) => (
                        <td class="num">{percent(f[k])}</td>
                      ))}
                      <td class="num">{f.score?.toFixed(1) ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          </ChartFigure>
        )}
        <DataLinks m={m} csv={`/units/${id}/figures.csv`} json={`/units/${id}/figures.json`} />
      </section>
      <section aria-labelledby="unit-items">
        <h2 id="unit-items">{m.unit.items}</h2>
        <ul class="items">
          {data.latest.map((p) => (
            <li>
              <a href={`/problems/${encodeURIComponent(p.problem_id)}`}>{p.title}</a>
              <span class="meta">
                {m.labels.problemStatus[p.status] ?? p.status} · {shownMoment(p.solicited_at)}
              </span>
            </li>
          ))}
        </ul>
        <p>
          <a href={`/disclosure?unit=${id}`}>{m.unit.allItems}</a>
        </p>
      </section>
    </Layout>
  );
};
