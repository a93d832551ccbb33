// 口径说明: how every figure is computed, in words, each with an anchor the figures link to.
import type { PageContext } from '../views/context.js';
import { Layout } from '../views/layout.js';

export const DefinitionsPage = ({ ctx }: { ctx: PageContext }) => {
  const d = ctx.m.definitions;
  return (
    <Layout ctx={ctx} title={d.heading} active="definitions">
      <h1>{d.heading}</h1>
      <p>{d.intro}</p>
      <dl class="definitions">
        {d.terms.map((t) => (
          <>
            <dt id={t.id}>{t.term}</dt>
            <dd>{t.text}</dd>
          </>
        ))}
      </dl>
    </Layout>
  );
};
