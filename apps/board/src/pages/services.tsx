// 企业服务: the enterprise service officers (企业服务专员) at work — per unit and per officer, how many enterprises
// they serve, their contacts (对接) and on-site visits, the problems the enterprises' needs became and how many
// were solved, and whether the cadence holds (first contact within two weeks, monthly, two visits a year).
// Only public facts: officials in their role, enterprises by name; never the enterprise's contact person or needs.
import type { ServiceBoard, ServiceFigures } from '@banshishi/read-models';
import type { DirectorySnapshot } from '../http/directory-cache.js';
import { TableRegion } from '../views/components.js';
import { type PageContext, shownDate } from '../views/context.js';
import { Layout } from '../views/layout.js';

const Num = ({ n }: { n: number }) => <td class="num">{n}</td>;

const FigureCells = ({ f }: { f: ServiceFigures }) => (
  <>
    <Num n={f.enterprises} />
    <Num n={f.contacts} />
    <Num n={f.onSite} />
    <Num n={f.problemsRaised} />
    <Num n={f.problemsSolved} />
    <Num n={f.compliant} />
  </>
);

export const ServicesPage = ({
  ctx,
  dir,
  board,
  unitId,
}: {
  ctx: PageContext;
  dir: DirectorySnapshot;
  board: ServiceBoard;
  unitId: string | undefined;
}) => {
  const { m } = ctx;
  const s = m.services;
  const figureHeads = (
    <>
      <th scope="col" class="num">
        {s.enterprises}
      </th>
      <th scope="col" class="num">
        {s.contacts}
      </th>
      <th scope="col" class="num">
        {s.onSite}
      </th>
      <th scope="col" class="num">
        {s.problemsRaised}
      </th>
      <th scope="col" class="num">
        {s.problemsSolved}
      </th>
      <th scope="col" class="num">
        {s.compliant}
      </th>
    </>
  );
  const streets = dir.units.filter((u) => u.level <= 2);
  return (
    <Layout ctx={ctx} title={s.heading} active="services">
      <h1>{s.heading}</h1>
      <p class="note">{s.intro}</p>
      <form class="filters" method="get" action="/services">
        <div class="field">
          <label for="f-unit">{s.unit}</label>
          <select id="f-unit" name="unit">
            <option value="">{s.allUnits}</option>
            {streets.map((u) => (
              <option value={u.unit_id} selected={u.unit_id === unitId}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <div class="actions">
          <button type="submit">{s.show}</button>
        </div>
      </form>
      <p class="note">{s.cadenceNote}</p>
      {board.services.length === 0 ? (
        <p>{s.none}</p>
      ) : (
        <>
          <section aria-labelledby="svc-units">
            <h2 id="svc-units">{s.byUnit}</h2>
            <TableRegion label={s.byUnit}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{s.unit}</th>
                    {figureHeads}
                  </tr>
                </thead>
                <tbody>
                  {board.units.map((u) => (
                    <tr>
                      <th scope="row">{u.unitName ?? u.unitId}</th>
                      <FigureCells f={u} />
                    </tr>
                  ))}
                  <tr>
                    <th scope="row">{s.total}</th>
                    <FigureCells f={board.totals} />
                  </tr>
                </tbody>
              </table>
            </TableRegion>
          </section>
          <section aria-labelledby="svc-officers">
            <h2 id="svc-officers">{s.byOfficer}</h2>
            <TableRegion label={s.byOfficer}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{s.officer}</th>
                    {figureHeads}
                  </tr>
                </thead>
                <tbody>
                  {board.officers.map((o) => (
                    <tr>
                      <th scope="row">{o.officerName ?? o.officerId}</th>
                      <FigureCells f={o} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          </section>
          <section aria-labelledby="svc-list">
            <h2 id="svc-list">{s.byEnterprise}</h2>
            <TableRegion label={s.byEnterprise}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{s.enterprise}</th>
                    <th scope="col">{s.unit}</th>
                    <th scope="col">{s.officer}</th>
                    <th scope="col" class="num">
                      {s.contacts}
                    </th>
                    <th scope="col" class="num">
                      {s.onSiteThisYear}
                    </th>
                    <th scope="col">{s.lastContact}</th>
                    <th scope="col" class="num">
                      {s.problemsSolved}
                    </th>
                    <th scope="col">{s.cadence}</th>
                  </tr>
                </thead>
                <tbody>
                  {board.services.map((row) => (
                    <tr>
                      <th scope="row">{row.enterpriseName}</th>
                      <td>{row.unitName ?? row.unitId}</td>
                      <td>
                        {row.status === 'active' ? (row.officerName ?? row.officerId) : s.ended}
                        {row.status === 'active' && ` · ${m.labels.serviceRole[row.officerRole] ?? row.officerRole}`}
                      </td>
                      <Num n={row.contacts} />
                      <td class="num">
                        {row.cadence.currentYear.onSite} / {row.cadence.currentYear.required}
                      </td>
                      <td>{row.lastContact === null ? '—' : shownDate(row.lastContact)}</td>
                      <td class="num">
                        {row.problemsSolved} / {row.problemsRaised}
                      </td>
                      <td>
                        {row.status !== 'active'
                          ? s.ended
                          : row.cadence.compliant
                            ? row.cadence.firstContact === 'pending'
                              ? s.firstContactPending(shownDate(row.cadence.firstContactDue))
                              : s.onTrack
                            : [
                                row.cadence.firstContact === 'overdue' && s.firstContactOverdue,
                                row.cadence.firstContact === 'late' && s.firstContactLate,
                                row.cadence.monthsMissed.length > 0 && s.monthsMissed(row.cadence.monthsMissed),
                                row.cadence.yearsMissed.length > 0 &&
                                  s.yearsMissed(row.cadence.yearsMissed.map((y) => y.year)),
                              ]
                                .filter((x): x is string => typeof x === 'string')
                                .join(s.joiner)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          </section>
        </>
      )}
    </Layout>
  );
};
