// The page frame: skip link, header with the navigation and the language switch, the page, and a footer
// saying as of when the figures are. Scripts are files served by the board (no inline script, no CDN).
import type { ComponentChildren } from 'preact';
import { proofCheckPath } from '../http/proof-check-bundle.js';
import { type PageContext, shownMoment } from './context.js';

const navigation = [
  ['/', 'home'],
  ['/disclosure', 'disclosure'],
  ['/showcase', 'showcase'],
  ['/pairing', 'pairing'],
  ['/visits', 'visits'],
  ['/rankings', 'rankings'],
  ['/services', 'services'],
  ['/units', 'units'],
  ['/definitions', 'definitions'],
  ['/transparency', 'transparency'],
] as const;

export const FreshnessNote = ({ ctx }: { ctx: PageContext }) => {
  const { m, freshness: f } = ctx;
  return (
    <p class="freshness">
      {f.dataAsOf === null ? m.freshness.noData : m.freshness.dataAsOf(shownMoment(f.dataAsOf))}
      {' · '}
      {f.lagEvents === null
        ? m.freshness.lagUnknown
        : f.lagEvents === 0
          ? m.freshness.upToDate
          : m.freshness.lag(f.lagEvents, Math.round(f.lagSeconds ?? 0))}
      {' · '}
      {m.freshness.takenAt(shownMoment(ctx.asOf))}
      {' · '}
      <a href="/definitions">{m.nav.definitions}</a>
    </p>
  );
};

export const Layout = ({
  ctx,
  title,
  active,
  charts = false,
  proofCheck = false,
  children,
}: {
  ctx: PageContext;
  title: string;
  active?: (typeof navigation)[number][1];
  charts?: boolean;
  /** The in-browser check of the transparency log's proofs (client/proof-check.ts, bundled at start). */
  proofCheck?: boolean;
  children: ComponentChildren;
}) => {
  const { m } = ctx;
  const other = ctx.lang === 'zh' ? 'en' : 'zh';
  return (
    <html lang={m.lang.code}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${m.site.title}`}</title>
        <link rel="stylesheet" href="/static/board.css" />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="alternate" type="application/atom+xml" title={m.home.latestClosed} href="/feeds/closed.atom" />
        {charts && <script src="/static/vendor/echarts.min.js" defer />}
        {charts && <script src="/static/charts.js" defer />}
        {proofCheck && <script src={proofCheckPath} defer />}
      </head>
      <body>
        <a class="skip" href="#main">
          {m.site.skip}
        </a>
        <header class="site">
          <div class="bar">
            <a class="brand" href="/">
              {m.site.title}
            </a>
            <a
              class="lang"
              href={`/lang?to=${other}&back=${encodeURIComponent(ctx.url)}`}
              hreflang={other === 'zh' ? 'zh-CN' : 'en'}
              lang={other === 'zh' ? 'zh-CN' : 'en'}
              aria-label={m.lang.switchLabel}
            >
              {m.lang.switchTo}
            </a>
          </div>
          <nav aria-label={m.site.navLabel}>
            <ul>
              {navigation.map(([href, key]) => (
                <li>
                  <a href={href} aria-current={active === key ? 'page' : undefined}>
                    {m.nav[key]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main">{children}</main>
        <footer class="site">
          <FreshnessNote ctx={ctx} />
          <p>
            {m.site.tagline}
            {' · '}
            <a href="/transparency">{m.nav.transparency}</a>
          </p>
        </footer>
      </body>
    </html>
  );
};
