// 我的事项: the problems and wishes a resident or an enterprise raised themself, newest first, with their
// status in words and a link to each item's page.
import type { WorkbenchContext } from '../context.js';
import { areaPath, WorkbenchLayout } from '../layout.js';
import { listsOf, ProblemTable, WishTable, type WorkLists } from './claims.js';

export const MinePage = ({ ctx, items }: { ctx: WorkbenchContext; items: WorkLists | null }) => {
  const l = listsOf(ctx);
  const t = l.mine;
  const empty = items !== null && items.problems.length === 0 && items.wishes.length === 0;
  return (
    <WorkbenchLayout ctx={ctx} title={t.heading} active="mine">
      <h1>{t.heading}</h1>
      {items === null ? (
        <p>{t.notForRole}</p>
      ) : empty ? (
        <p>
          {t.none} <a href={areaPath.raise}>{t.raise}</a>
        </p>
      ) : (
        <>
          {items.problems.length > 0 && (
            <section aria-labelledby="mine-problems-heading">
              <h2 id="mine-problems-heading">{t.problems}</h2>
              <ProblemTable ctx={ctx} id="mine-problems" caption={t.problems} rows={items.problems} claimed={false} />
            </section>
          )}
          {items.wishes.length > 0 && (
            <section aria-labelledby="mine-wishes-heading">
              <h2 id="mine-wishes-heading">{t.wishes}</h2>
              <WishTable ctx={ctx} id="mine-wishes" caption={t.wishes} rows={items.wishes} claimed={false} />
            </section>
          )}
          <p>
            <a href={areaPath.raise}>{t.raise}</a>
          </p>
          <p class="hint">{l.freshness}</p>
        </>
      )}
    </WorkbenchLayout>
  );
};
