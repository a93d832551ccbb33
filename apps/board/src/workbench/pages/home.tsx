// The workbench's first page after signing in: who one is, the roles held (each with where to go), and
// the areas those roles open.
import type { WorkbenchContext } from '../context.js';
import { areaPath, roleLabel, WorkbenchLayout } from '../layout.js';

const areaOfRole: Readonly<Record<string, keyof typeof areaPath>> = {
  office: 'office',
  secretary: 'claims',
  department_handler: 'claims',
  member: 'claims',
  grid_worker: 'raise',
  resident: 'mine',
  enterprise: 'mine',
};

export const HomePage = ({ ctx }: { ctx: WorkbenchContext }) => {
  const { m } = ctx;
  const roles = ctx.principal?.roles ?? [];
  return (
    <WorkbenchLayout ctx={ctx} title={m.home.heading} active="home">
      <h1>{m.home.heading}</h1>
      <h2>{m.home.roles}</h2>
      {roles.length === 0 ? (
        <p>{m.home.noRoles}</p>
      ) : (
        <ul class="roles">
          {roles.map((r) => {
            const area = areaOfRole[r.role];
            return (
              <li>
                <span>{`${roleLabel(ctx, r.role)} · ${r.unitName ?? r.unitId}`}</span>
                {area !== undefined && (
                  <>
                    {' '}
                    <a href={areaPath[area]}>{`${m.home.go}：${m.nav[area]}`}</a>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </WorkbenchLayout>
  );
};
