// 亮梦: fulfilled wishes shown as far as each wisher consented — the story always, a masked name (张**)
// only where they chose `named`, otherwise "a resident".
import type { ShowcaseEntry } from '@banshishi/read-models';
import { DataLinks, Pager } from '../views/components.js';
import { type PageContext, shownDate } from '../views/context.js';
import { Layout } from '../views/layout.js';

export const ShowcasePage = ({
  ctx,
  entries,
  total,
  page,
  pageSize,
}: {
  ctx: PageContext;
  entries: readonly ShowcaseEntry[];
  total: number;
  page: number;
  pageSize: number;
}) => {
  const { m } = ctx;
  const s = m.showcase;
  return (
    <Layout ctx={ctx} title={s.heading} active="showcase">
      <h1>{s.heading}</h1>
      <p class="note">{s.intro}</p>
      <DataLinks m={m} csv="/showcase.csv" json="/showcase.json" feed="/feeds/showcased.atom" />
      {entries.length === 0 ? (
        <p>{s.none}</p>
      ) : (
        <ol class="stories" start={(page - 1) * pageSize + 1}>
          {entries.map((e) => (
            <li class="story">
              <p>
                <a href={`/wishes/${encodeURIComponent(e.wish_id)}`}>{e.story}</a>
              </p>
              <p class="meta">
                {m.labels.wishCategory[e.category] ?? e.category} · {e.unit_name ?? e.unit_id} ·{' '}
                {e.shown_as === 'named' && e.masked_name !== null ? e.masked_name : s.anonymous}
                {e.member_name !== null && ` · ${s.fulfilledBy} ${e.member_name}`} · {shownDate(e.showcased_at)}
              </p>
            </li>
          ))}
        </ol>
      )}
      <Pager m={m} page={page} pageSize={pageSize} total={total} hrefOf={(n) => `/showcase?page=${n}`} />
    </Layout>
  );
};
