// 评价榜: units of one level ranked for one month by the composite score, the four rates with a chart each
// (and its table), the minimum-count rule stated and the unranked units listed apart, and the quotas
// (每名书记领一题, 每名党员领一梦) per unit.
import type { RankingEntry, UnitMonthFigures } from '@banshishi/read-models';
import { ChartFigure, TableRegion } from '../views/components.js';
import { type PageContext, percent } from '../views/context.js';
import { Layout } from '../views/layout.js';

export const rateKeys = ['responseRate', 'resolutionRate', 'satisfactionRate', 'onTimeRate'] as const;
export type RateKey = (typeof rateKeys)[number];
export const rateAnchors: Readonly<Record<RateKey | 'score', string>> = {
  responseRate: 'response-rate',
  resolutionRate: 'resolution-rate',
  satisfactionRate: 'satisfaction-rate',
  onTimeRate: 'on-time-rate',
  score: 'score',
};

export interface QuotaByUnit {
  readonly unitId: string;
  readonly unitName: string;
  readonly holders: number;
  readonly compliant: number;
}

export interface RankingsData {
  readonly level: 2 | 3;
  readonly month: string | null;
  readonly months: readonly string[];
  readonly ranked: readonly RankingEntry[];
  readonly unranked: readonly UnitMonthFigures[];
  readonly minItems: number;
  readonly quotas: { readonly secretary: readonly QuotaByUnit[]; readonly member: readonly QuotaByUnit[] } | null;
}

const Defined = ({ anchor, children }: { anchor: string; children: preact.ComponentChildren }) => (
  <a href={`/definitions#${anchor}`}>{children}</a>
);

const QuotaTable = ({ ctx, caption, rows }: { ctx: PageContext; caption: string; rows: readonly QuotaByUnit[] }) => {
  const { m } = ctx;
  return (
    <TableRegion label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{m.rankings.quotaUnit}</th>
            <th scope="col" class="num">
              {m.rankings.holders}
            </th>
            <th scope="col" class="num">
              {m.rankings.compliant}
            </th>
            <th scope="col" class="num">
              {m.rankings.complianceRate}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((q) => (
            <tr>
              <th scope="row">
                <a href={`/units/${encodeURIComponent(q.unitId)}`}>{q.unitName}</a>
              </th>
              <td class="num">{q.holders}</td>
              <td class="num">{q.compliant}</td>
              <td class="num">{percent(q.holders === 0 ? null : q.compliant / q.holders)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
};

export const RankingsPage = ({ ctx, data }: { ctx: PageContext; data: RankingsData }) => {
  const { m } = ctx;
  const r = m.rankings;
  const month = data.month;
  const rateName = (k: RateKey) => r[k];
  return (
    <Layout ctx={ctx} title={r.heading} active="rankings" charts>
      <h1>{r.heading}</h1>
      <form class="filters" method="get" action="/rankings">
        <div class="field">
          <label for="f-level">{r.level}</label>
          <select id="f-level" name="level">
            {([2, 3] as const).map((l) => (
              <option value={String(l)} selected={l === data.level}>
                {m.labels.level[String(l)]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-month">{r.month}</label>
          <select id="f-month" name="month">
            {data.months.map((mo) => (
              <option value={mo} selected={mo === month}>
                {mo}
              </option>
            ))}
          </select>
        </div>
        <div class="actions">
          <button type="submit">{r.show}</button>
        </div>
      </form>
      <p class="note">
        {r.minCountNote(data.minItems)} <Defined anchor="ranking">{r.definitionsLink}</Defined>
      </p>
      {month === null || (data.ranked.length === 0 && data.unranked.length === 0) ? (
        <p>{r.noData}</p>
      ) : (
        <>
          <section aria-labelledby="ranked">
            <h2 id="ranked">
              {m.labels.level[String(data.level)]} · {month}
            </h2>
            <TableRegion label={`${r.heading} ${month}`}>
              <table>
                <thead>
                  <tr>
                    <th scope="col" class="num">
                      {r.rank}
                    </th>
                    <th scope="col">{r.unit}</th>
                    <th scope="col" class="num">
                      {r.counted}
                    </th>
                    {rateKeys.map((k) => (
                      <th scope="col" class="num">
                        <Defined anchor={rateAnchors[k]}>{rateName(k)}</Defined>
                      </th>
                    ))}
                    <th scope="col" class="num">
                      <Defined anchor="score">{r.score}</Defined>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.ranked.map((e) => (
                    <tr>
                      <td class="num">{e.rank}</td>
                      <th scope="row">
                        <a href={`/units/${encodeURIComponent(e.unitId)}`}>{e.unitName}</a>
                      </th>
                      <td class="num">{e.counted}</td>
                      {rateKeys.map((k) => (
                        <td class="num">{percent(e[k])}</td>
                      ))}
                      <td class="num">{e.score?.toFixed(1) ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
            <p class="data-links">
              <a href={`/rankings.csv?level=${data.level}&month=${month}`} download>
                {m.disclosure.downloadCsv}
              </a>
              <a href={`/rankings.json?level=${data.level}&month=${month}`}>{m.disclosure.downloadJson}</a>
            </p>
          </section>
          {data.ranked.length > 0 &&
            rateKeys.map((k) => {
              const withRate = data.ranked.filter((e) => e[k] !== null);
              const sorted = [...withRate].sort((a, b) => b[k]! - a[k]!);
              const best = sorted[0];
              const worst = sorted[sorted.length - 1];
              return (
                <section aria-labelledby={`chart-${k}-heading`}>
                  <h2 id={`chart-${k}-heading`}>{rateName(k)}</h2>
                  <ChartFigure
                    id={`chart-${k}`}
                    caption={r.chartCaption(rateName(k), month)}
                    alt={
                      best === undefined || worst === undefined
                        ? r.noData
                        : r.chartAlt(
                            rateName(k),
                            `${best.unitName} ${percent(best[k])}`,
                            `${worst.unitName} ${percent(worst[k])}`,
                          )
                    }
                    dataUrl={`/api/charts/rankings?level=${data.level}&month=${month}&rate=${k}`}
                  >
                    <TableRegion label={`${m.charts.table}: ${rateName(k)}`}>
                      <table>
                        <thead>
                          <tr>
                            <th scope="col">{r.unit}</th>
                            <th scope="col" class="num">
                              {rateName(k)}
                            </th>
                          </tr>
                        </thead>
                        <tbody>
                          {data.ranked.map((e) => (
                            <tr>
                              <th scope="row">{e.unitName}</th>
                              <td class="num">{percent(e[k])}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </TableRegion>
                  </ChartFigure>
                </section>
              );
            })}
          <section aria-labelledby="unranked">
            <h2 id="unranked">{r.unranked}</h2>
            <TableRegion label={r.unranked}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{r.unit}</th>
                    <th scope="col" class="num">
                      {r.counted}
                    </th>
                    <th scope="col" class="num">
                      {r.score}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.unranked.map((f) => (
                    <tr>
                      <th scope="row">
                        <a href={`/units/${encodeURIComponent(f.unitId)}`}>{f.unitName}</a>
                      </th>
                      <td class="num">{f.counted}</td>
                      <td class="num">{f.score?.toFixed(1) ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          </section>
        </>
      )}
      {data.quotas !== null && (
        <section aria-labelledby="quotas">
          <h2 id="quotas">
            {r.quotaHeading} <Defined anchor="quota">{r.definitionsLink}</Defined>
          </h2>
          <QuotaTable ctx={ctx} caption={r.quotaSecretary} rows={data.quotas.secretary} />
          <QuotaTable ctx={ctx} caption={r.quotaMember} rows={data.quotas.member} />
          <p class="data-links">
            <a href="/rankings/quotas.csv" download>
              {m.disclosure.downloadCsv}
            </a>
            <a href="/rankings/quotas.json">{m.disclosure.downloadJson}</a>
          </p>
        </section>
      )}
    </Layout>
  );
};
