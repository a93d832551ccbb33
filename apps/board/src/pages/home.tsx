// 首页: the campaign's progress against its targets (a chart over time and the table under it), the
// headline figures, and the latest closed problems and showcased wishes.
import type {
  CampaignsTable,
  HeadlineFigures,
  ProgressDay,
  PublicProblem,
  ShowcaseEntry,
} from '@banshishi/read-models';
import { ChartFigure, DataLinks, TableRegion } from '../views/components.js';
import { type PageContext, shownDate, shownMoment } from '../views/context.js';
import { FreshnessNote, Layout } from '../views/layout.js';

export interface HomeData {
  readonly campaign: CampaignsTable | null;
  readonly progress: readonly ProgressDay[];
  readonly headline: HeadlineFigures;
  readonly latestClosed: readonly PublicProblem[];
  readonly latestShowcased: readonly ShowcaseEntry[];
}

export const HomePage = ({ ctx, data }: { ctx: PageContext; data: HomeData }) => {
  const { m } = ctx;
  const last = data.progress[data.progress.length - 1];
  const h = data.headline;
  return (
    <Layout ctx={ctx} title={m.home.heading} active="home" charts>
      <h1>{m.home.heading}</h1>
      <FreshnessNote ctx={ctx} />
      <section aria-labelledby="headline">
        <h2 id="headline">
          {m.home.headline} <a href="/definitions#counting">{m.rankings.definitionsLink}</a>
        </h2>
        <dl class="figures">
          {(
            [
              [m.home.problemsRaised, h.problemsRaised, '/disclosure'],
              [m.home.problemsClosed, h.problemsClosed, '/disclosure?status=closed'],
              [m.home.problemsOverdue, h.problemsOverdue, '/disclosure?overdue=1'],
              [m.home.wishesCollected, h.wishesCollected, '/disclosure?kind=wishes'],
              [
                m.home.wishesFulfilled,
                h.wishesFulfilled,
                '/disclosure?kind=wishes&status=fulfilled,confirmed,showcased',
              ],
            ] as const
          ).map(([name, value, href]) => (
            <div>
              <dt>{name}</dt>
              <dd>
                <a href={href}>{value}</a>
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="progress">
        <h2 id="progress">
          {m.home.progressHeading} <a href="/definitions#progress">{m.rankings.definitionsLink}</a>
        </h2>
        {data.campaign === null || last === undefined ? (
          <p>{m.home.noCampaign}</p>
        ) : (
          <ChartFigure
            id="progress-chart"
            caption={m.home.progressCaption(data.campaign.name)}
            alt={m.home.progressAlt(
              last.day,
              last.problemsSolved,
              last.targetProblemsSolved,
              last.wishesFulfilled,
              last.targetWishesFulfilled,
            )}
            dataUrl={`/api/charts/progress?campaign=${encodeURIComponent(data.campaign.campaign_id)}`}
          >
            <TableRegion label={m.charts.table}>
              <table>
                <caption class="visually-hidden">{m.home.progressCaption(data.campaign.name)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{m.home.day}</th>
                    <th scope="col">{m.home.solved}</th>
                    <th scope="col">{m.home.target}</th>
                    <th scope="col">{m.home.fulfilled}</th>
                    <th scope="col">{m.home.target}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...data.progress].reverse().map((d) => (
                    <tr>
                      <th scope="row" class="day">{d.day}</th>
                      <td class="num">{d.problemsSolved}</td>
                      <td class="num">{d.targetProblemsSolved}</td>
                      <td class="num">{d.wishesFulfilled}</td>
                      <td class="num">{d.targetWishesFulfilled}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
            <DataLinks
              m={m}
              csv={`/progress.csv?campaign=${encodeURIComponent(data.campaign.campaign_id)}`}
              json={`/progress.json?campaign=${encodeURIComponent(data.campaign.campaign_id)}`}
            />
          </ChartFigure>
        )}
      </section>
      <div class="columns">
        <section aria-labelledby="latest-closed">
          <h2 id="latest-closed">{m.home.latestClosed}</h2>
          <ul class="items">
            {data.latestClosed.map((p) => (
              <li>
                <a href={`/problems/${encodeURIComponent(p.problem_id)}`}>{p.title}</a>
                <span class="meta">
                  {p.unit_name ?? p.unit_id} · {shownMoment(p.closed_at)}
                </span>
              </li>
            ))}
          </ul>
          <p>
            <a href="/disclosure?status=closed">{m.home.seeAll}</a>
          </p>
        </section>
        <section aria-labelledby="latest-showcased">
          <h2 id="latest-showcased">{m.home.latestShowcased}</h2>
          <ul class="items">
            {data.latestShowcased.map((s) => (
              <li>
                <a href={`/wishes/${encodeURIComponent(s.wish_id)}`}>{s.story}</a>
                <span class="meta">
                  {s.unit_name ?? s.unit_id} · {shownDate(s.showcased_at)}
                </span>
              </li>
            ))}
          </ul>
          <p>
            <a href="/showcase">{m.home.seeAll}</a>
          </p>
        </section>
      </div>
    </Layout>
  );
};
