// The workbench's page frame: the board's stylesheet and language switch, a header naming who one acts
// as (name, role, unit) with a role switch and sign-out (plain forms: no JavaScript needed), a navigation
// by the roles held, and the page.
import type { ComponentChildren } from 'preact';
import type { WorkbenchContext } from './context.js';
import { csrfField, workbenchBase } from './http/session.js';

export type WorkbenchArea = 'home' | 'office' | 'directory' | 'campaign' | 'claims' | 'raise' | 'mine';

const areasFor = (roles: readonly string[]): readonly WorkbenchArea[] => {
  const has = (...r: string[]) => r.some((x) => roles.includes(x));
  return [
    'home' as const,
    ...(has('office') ? (['office', 'directory', 'campaign'] as const) : []),
    ...(has('secretary', 'department_handler', 'member') ? (['claims'] as const) : []),
    ...(has('resident', 'enterprise', 'grid_worker', 'secretary', 'office', 'member') ? (['raise'] as const) : []),
    ...(has('resident', 'enterprise') ? (['mine'] as const) : []),
  ];
};

export const areaPath: Readonly<Record<WorkbenchArea, string>> = {
  home: workbenchBase,
  office: `${workbenchBase}/office`,
  directory: `${workbenchBase}/office/directory`,
  campaign: `${workbenchBase}/office/campaign`,
  claims: `${workbenchBase}/claims`,
  raise: `${workbenchBase}/raise`,
  mine: `${workbenchBase}/mine`,
};

/** The hidden CSRF field: every form of the workbench starts with it. */
export const CsrfField = ({ ctx }: { ctx: WorkbenchContext }) => (
  <input type="hidden" name={csrfField} value={ctx.csrf} />
);

export const roleLabel = (ctx: WorkbenchContext, role: string) => ctx.labels.role[role] ?? role;

const ActingAs = ({ ctx }: { ctx: WorkbenchContext }) => {
  const { m, principal } = ctx;
  if (principal === null) return null;
  const acting = principal.acting;
  const who = [
    ctx.displayName,
    acting === null ? null : roleLabel(ctx, acting.role),
    acting?.unitName ?? acting?.unitId ?? null,
  ]
    .filter((x) => x !== null && x !== '')
    .join(' · ');
  return (
    <section class="acting" aria-label={m.actingAs.label}>
      <p>
        <span class="acting-label">{m.actingAs.label}：</span>
        <strong data-testid="acting-as">{who}</strong>
      </p>
      {principal.roles.length > 1 && (
        <form method="post" action={`${workbenchBase}/acting`} class="inline">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="back" value={ctx.url} />
          <label for="acting-role">{m.actingAs.switchRole}</label>{' '}
          <select id="acting-role" name="acting">
            {principal.roles.map((r) => (
              <option
                value={`${r.role}@${r.unitId}`}
                selected={acting !== null && r.role === acting.role && r.unitId === acting.unitId}
              >
                {`${roleLabel(ctx, r.role)} · ${r.unitName ?? r.unitId}`}
              </option>
            ))}
          </select>{' '}
          <button type="submit">{m.actingAs.switch}</button>
        </form>
      )}
      <form method="post" action={`${workbenchBase}/sign-out`} class="inline">
        <CsrfField ctx={ctx} />
        <button type="submit">{m.actingAs.signOut}</button>
      </form>
    </section>
  );
};

export const WorkbenchLayout = ({
  ctx,
  title,
  active,
  children,
}: {
  ctx: WorkbenchContext;
  title: string;
  active?: WorkbenchArea;
  children: ComponentChildren;
}) => {
  const { m } = ctx;
  const other = ctx.lang === 'zh' ? 'en' : 'zh';
  const roles = ctx.principal?.roles.map((r) => r.role) ?? [];
  return (
    <html lang={ctx.lang === 'zh' ? 'zh-CN' : 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} · ${m.site.title}`}</title>
        <link rel="stylesheet" href="/static/board.css" />
        <link rel="stylesheet" href="/static/workbench.css" />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      </head>
      <body class="workbench">
        <a class="skip" href="#main">
          {ctx.lang === 'zh' ? '跳到正文' : 'Skip to content'}
        </a>
        <header class="site">
          <div class="bar">
            <a class="brand" href={workbenchBase}>
              {m.site.title}
            </a>
            <a
              class="lang"
              href={`/lang?to=${other}&back=${encodeURIComponent(ctx.url)}`}
              hreflang={other === 'zh' ? 'zh-CN' : 'en'}
              lang={other === 'zh' ? 'zh-CN' : 'en'}
            >
              {other === 'zh' ? '中文' : 'English'}
            </a>
          </div>
          <ActingAs ctx={ctx} />
          {ctx.principal !== null && (
            <nav aria-label={m.site.navLabel}>
              <ul>
                {areasFor(roles).map((area) => (
                  <li>
                    <a href={areaPath[area]} aria-current={active === area ? 'page' : undefined}>
                      {m.nav[area]}
                    </a>
                  </li>
                ))}
                <li>
                  <a href="/">{m.site.board}</a>
                </li>
              </ul>
            </nav>
          )}
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
};
