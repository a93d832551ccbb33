// 组织与人员: the office's directory of units (a tree by level) and officials (by their public name, with
// the roles they hold now), and the forms that change it through the command API. A unit or person is
// picked by a link (`?unit=`, `?person=`), so the forms that act on one work without JavaScript.
// Residents are never listed: one is opened by id only, and shown by kind and roles, never by name.
import { directoryRoles, unitKinds } from '@banshishi/core';
import {
  type DirectoryPerson,
  directoryPerson,
  listUnits,
  searchOfficials,
  type UnitsTable,
} from '@banshishi/read-models';
import { ActionForm, Choice, Field, Notice } from '../../components.js';
import type { WorkbenchContext } from '../../context.js';
import type { WorkbenchKit } from '../../http/kit.js';
import { workbenchBase } from '../../http/session.js';
import { byLang } from '../../i18n/index.js';
import { office } from '../../i18n/office.js';
import { roleLabel, WorkbenchLayout } from '../../layout.js';
import { type Posted, stateOf, typedIn } from './posted.js';

export const directoryPath = `${workbenchBase}/office/directory`;

export type { DirectoryPerson };

export interface DirectoryData {
  readonly units: readonly UnitsTable[];
  readonly people: readonly DirectoryPerson[];
  readonly total: number;
  readonly q: string;
  readonly chosenUnit: UnitsTable | null;
  /** The person picked by id; `unknown` when the directory has none with it. */
  readonly chosenPerson: DirectoryPerson | 'unknown' | null;
}

export interface DirectoryQuery {
  readonly q?: string;
  readonly unit?: string;
  readonly person?: string;
}

const peopleShown = 200;

/** The districts the person holds the office role in: what the office manages. */
export const officeDistrictsOf = (ctx: WorkbenchContext): readonly string[] =>
  (ctx.principal?.roles ?? []).filter((r) => r.role === 'office').map((r) => r.unitId);

/** The live directory (read models, no cache: the page is looked at right after a change). */
export const loadDirectory = async (
  kit: WorkbenchKit,
  ctx: WorkbenchContext,
  query: DirectoryQuery,
): Promise<DirectoryData> => {
  const rm = kit.deps.readModels;
  const districts = officeDistrictsOf(ctx);
  const q = (query.q ?? '').trim().slice(0, 60);
  const [all, found, chosen] = await Promise.all([
    listUnits(rm),
    searchOfficials(rm, { text: q, limit: peopleShown }),
    query.person === undefined ? undefined : directoryPerson(rm, query.person),
  ]);
  const units = all.filter((u) => u.level1_id !== null && districts.includes(u.level1_id));
  return {
    units,
    people: found.people,
    total: found.total,
    q,
    chosenUnit: query.unit === undefined ? null : (units.find((u) => u.unit_id === query.unit) ?? null),
    chosenPerson: query.person === undefined ? null : chosen === undefined ? 'unknown' : chosen,
  };
};

/** Units as nested lists under their parents, in the order the directory gives them. */
const UnitTree = ({
  ctx,
  units,
  parentId,
  chosen,
}: {
  ctx: WorkbenchContext;
  units: readonly UnitsTable[];
  parentId: string | null;
  chosen: string | null;
}) => {
  const d = byLang(office, ctx.lang).directory;
  const known = new Set(units.map((u) => u.unit_id));
  const children = units
    .filter((u) => (parentId === null ? u.parent_id === null || !known.has(u.parent_id) : u.parent_id === parentId))
    .sort(bySiblingOrder);
  if (children.length === 0) return null;
  return (
    <ul class="units">
      {children.map((u) => (
        <li data-unit={u.unit_id}>
          <a
            href={`${directoryPath}?unit=${encodeURIComponent(u.unit_id)}#unit-manage`}
            aria-current={chosen === u.unit_id ? 'true' : undefined}
          >
            {u.name}
          </a>
          <span class="meta">{` ${d.unitKinds[u.kind] ?? u.kind} · ${u.unit_id}`}</span>
          {u.retired && <strong>{` （${d.retired}）`}</strong>}
          <UnitTree ctx={ctx} units={units} parentId={u.unit_id} chosen={chosen} />
        </li>
      ))}
    </ul>
  );
};

const roleName = (ctx: WorkbenchContext, role: string) => roleLabel(ctx, role);

const RolesText = ({ ctx, roles }: { ctx: WorkbenchContext; roles: DirectoryPerson['roles'] }) => {
  const d = byLang(office, ctx.lang).directory;
  return (
    <>
      {roles.length === 0
        ? d.noRoles
        : roles.map((r) => `${roleName(ctx, r.role)} · ${r.unitName ?? r.unitId}`).join('；')}
    </>
  );
};

/** Siblings as one reads them: streets before departments, communities before grids, then by name. */
const bySiblingOrder = (a: UnitsTable, b: UnitsTable) =>
  unitKinds.indexOf(a.kind) - unitKinds.indexOf(b.kind) || a.name.localeCompare(b.name, 'zh');

/** Units to choose from, top level first, each named with its level (ids are long and say nothing). */
const unitOptions = (ctx: WorkbenchContext, units: readonly UnitsTable[]) => {
  const d = byLang(office, ctx.lang).directory;
  return units
    .filter((u) => !u.retired)
    .sort((a, b) => a.level - b.level || bySiblingOrder(a, b))
    .map((u) => [u.unit_id, `${u.name}（${d.unitKinds[u.kind] ?? u.kind}）`] as const);
};

export const DirectoryPage = ({
  ctx,
  data,
  posted,
  done,
  formKey,
}: {
  ctx: WorkbenchContext;
  data: DirectoryData;
  posted: Posted;
  done: boolean;
  formKey: () => string;
}) => {
  const d = byLang(office, ctx.lang).directory;
  const unit = data.chosenUnit;
  const person = data.chosenPerson;
  const kindOptions = unitKinds.map((k) => [k, d.unitKinds[k] ?? k] as const);
  const unitState = stateOf(posted, 'unit-new', {
    rules: { 'directory.unit.already_registered': ['unitId'], 'directory.unit.name_required': ['name'] },
  });
  return (
    <WorkbenchLayout ctx={ctx} title={d.heading} active="directory">
      <h1>{d.heading}</h1>
      <Notice ctx={ctx} state={posted.state} done={done} />

      <section aria-labelledby="units-heading">
        <h2 id="units-heading">{d.units}</h2>
        <p class="meta">{d.unitsCaption}</p>
        <UnitTree ctx={ctx} units={data.units} parentId={null} chosen={unit?.unit_id ?? null} />

        {unit !== null && (
          <section id="unit-manage" aria-labelledby="unit-manage-heading">
            <h3 id="unit-manage-heading">{d.chosenUnit(unit.name)}</h3>
            <p class="meta">{`${d.unitKinds[unit.kind] ?? unit.kind} · ${unit.unit_id}`}</p>
            {unit.retired ? (
              <p>{d.retired}</p>
            ) : (
              <>
                <ActionForm
                  ctx={ctx}
                  action={`${directoryPath}/units/${encodeURIComponent(unit.unit_id)}/rename`}
                  formKey={formKey()}
                  legend={d.rename}
                >
                  <Field
                    ctx={ctx}
                    form="unit-rename"
                    name="name"
                    label={d.newName}
                    required
                    maxLength={100}
                    value={typedIn(posted, 'unit-rename', 'name') ?? unit.name}
                    state={stateOf(posted, 'unit-rename', { rules: { 'directory.unit.name_required': ['name'] } })}
                  />
                </ActionForm>
                <ActionForm
                  ctx={ctx}
                  action={`${directoryPath}/units/${encodeURIComponent(unit.unit_id)}/retire`}
                  formKey={formKey()}
                  legend={d.retire}
                >
                  <Field
                    ctx={ctx}
                    form="unit-retire"
                    name="reason"
                    label={d.reason}
                    maxLength={500}
                    value={typedIn(posted, 'unit-retire', 'reason')}
                    state={stateOf(posted, 'unit-retire')}
                  />
                </ActionForm>
              </>
            )}
          </section>
        )}

        <ActionForm ctx={ctx} action={`${directoryPath}/units`} formKey={formKey()} legend={d.registerUnit}>
          <Field
            ctx={ctx}
            form="unit-new"
            name="unitId"
            label={d.unitId}
            required
            maxLength={100}
            value={typedIn(posted, 'unit-new', 'unitId')}
            state={unitState}
          />
          <Field
            ctx={ctx}
            form="unit-new"
            name="name"
            label={d.unitName}
            required
            maxLength={100}
            value={typedIn(posted, 'unit-new', 'name')}
            state={unitState}
          />
          <Choice
            ctx={ctx}
            form="unit-new"
            name="kind"
            label={d.unitKind}
            options={kindOptions}
            value={typedIn(posted, 'unit-new', 'kind') ?? 'grid'}
            state={unitState}
          />
          <Choice
            ctx={ctx}
            form="unit-new"
            name="parentId"
            label={d.parent}
            required={false}
            options={unitOptions(ctx, data.units)}
            value={typedIn(posted, 'unit-new', 'parentId') ?? unit?.unit_id}
            state={stateOf(posted, 'unit-new', {
              rules: {
                'directory.unit.parent_required': ['parentId'],
                'directory.unit.parent_not_found': ['parentId'],
                'directory.unit.parent_retired': ['parentId'],
                'directory.unit.parent_wrong_kind': ['parentId'],
                'directory.unit.district_has_no_parent': ['parentId'],
              },
            })}
          />
        </ActionForm>
      </section>

      <section aria-labelledby="people-heading">
        <h2 id="people-heading">{d.people}</h2>
        <p>{d.peopleIntro}</p>
        <search>
          <form method="get" action={directoryPath} class="inline">
            <label for="people-q">{d.search}</label>{' '}
            <input id="people-q" name="q" type="search" value={data.q} maxLength={60} />{' '}
            <button type="submit">{d.find}</button>
          </form>
        </search>
        <form method="get" action={`${directoryPath}#person-manage`} class="inline">
          <label for="people-open">{d.openPerson}</label>{' '}
          <input id="people-open" name="person" type="text" maxLength={128} required />{' '}
          <button type="submit">{d.open}</button>
        </form>
        <p class="meta">{d.shown(data.people.length, data.total)}</p>
        <div class="table-wrap">
          <table data-testid="people">
            <thead>
              <tr>
                <th scope="col">{d.name}</th>
                <th scope="col">{d.personId}</th>
                <th scope="col">{d.roles}</th>
              </tr>
            </thead>
            <tbody>
              {data.people.map((p) => (
                <tr>
                  <th scope="row">
                    <a href={`${directoryPath}?person=${encodeURIComponent(p.person_id)}#person-manage`}>
                      {p.public_name ?? p.person_id}
                    </a>
                    {!p.active && <strong>{` （${d.inactive}）`}</strong>}
                  </th>
                  <td>{p.person_id}</td>
                  <td>
                    <RolesText ctx={ctx} roles={p.roles} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>

        {person === 'unknown' && (
          <output id="person-manage" class="notice">
            {d.unknownPerson}
          </output>
        )}
        {person !== null && person !== 'unknown' && (
          <PersonPanel ctx={ctx} data={data} person={person} posted={posted} formKey={formKey} />
        )}

        <ActionForm ctx={ctx} action={`${directoryPath}/people`} formKey={formKey()} legend={d.registerPerson}>
          <PersonFields ctx={ctx} posted={posted} />
        </ActionForm>
      </section>
    </WorkbenchLayout>
  );
};

const PersonFields = ({ ctx, posted }: { ctx: WorkbenchContext; posted: Posted }) => {
  const d = byLang(office, ctx.lang).directory;
  const state = stateOf(posted, 'person-new', {
    rules: { 'directory.person.already_registered': ['personId'], 'directory.person.name_required': ['name'] },
  });
  return (
    <>
      <Field
        ctx={ctx}
        form="person-new"
        name="personId"
        label={d.personId}
        required
        maxLength={100}
        value={typedIn(posted, 'person-new', 'personId')}
        state={state}
      />
      <Choice
        ctx={ctx}
        form="person-new"
        name="kind"
        label={d.personKind}
        options={(['official', 'enterprise', 'resident'] as const).map((k) => [k, d.personKinds[k] ?? k] as const)}
        value={typedIn(posted, 'person-new', 'kind') ?? 'official'}
        state={state}
      />
      <Field
        ctx={ctx}
        form="person-new"
        name="name"
        label={d.name}
        required
        maxLength={100}
        value={typedIn(posted, 'person-new', 'name')}
        state={state}
      />
      <Field
        ctx={ctx}
        form="person-new"
        name="phone"
        label={d.phone}
        type="tel"
        maxLength={30}
        value={typedIn(posted, 'person-new', 'phone')}
        state={state}
      />
    </>
  );
};

const PersonPanel = ({
  ctx,
  data,
  person,
  posted,
  formKey,
}: {
  ctx: WorkbenchContext;
  data: DirectoryData;
  person: DirectoryPerson;
  posted: Posted;
  formKey: () => string;
}) => {
  const d = byLang(office, ctx.lang).directory;
  const base = `${directoryPath}/people/${encodeURIComponent(person.person_id)}`;
  // A resident's name is personal data (the read models hold none): they are named by kind and id only.
  const who =
    person.kind !== 'resident' && person.public_name !== null
      ? `${person.public_name}（${person.person_id}）`
      : `${d.personKinds[person.kind] ?? person.kind} ${person.person_id}`;
  const roleRules = {
    'directory.role.unit_not_found': ['unitId'],
    'directory.role.unit_retired': ['unitId'],
    'directory.role.wrong_unit_kind': ['unitId'],
    'directory.role.wrong_person_kind': ['role'],
    'directory.role.already_held': ['role'],
    'directory.role.held_elsewhere': ['role'],
  };
  return (
    <section id="person-manage" aria-labelledby="person-manage-heading">
      <h3 id="person-manage-heading">{d.chosenPerson(who)}</h3>
      {person.kind === 'resident' && <p class="meta">{d.nameHidden}</p>}
      <p>
        {`${d.roles}：`}
        <RolesText ctx={ctx} roles={person.roles} />
        {!person.active && <strong>{` （${d.inactive}）`}</strong>}
      </p>
      {person.active && (
        <>
          <ActionForm ctx={ctx} action={`${base}/roles`} formKey={formKey()} legend={d.grant}>
            <Choice
              ctx={ctx}
              form="person-grant"
              name="role"
              label={d.role}
              options={directoryRoles.map((r) => [r, roleName(ctx, r)] as const)}
              value={typedIn(posted, 'person-grant', 'role')}
              state={stateOf(posted, 'person-grant', { rules: roleRules })}
            />
            <Choice
              ctx={ctx}
              form="person-grant"
              name="unitId"
              label={d.roleUnit}
              options={unitOptions(ctx, data.units)}
              value={typedIn(posted, 'person-grant', 'unitId')}
              state={stateOf(posted, 'person-grant', { rules: roleRules })}
            />
          </ActionForm>
          {person.roles.length > 0 && (
            <ActionForm ctx={ctx} action={`${base}/roles/revoke`} formKey={formKey()} legend={d.revoke}>
              <Choice
                ctx={ctx}
                form="person-revoke"
                name="holding"
                label={d.holding}
                options={person.roles.map(
                  (r) => [`${r.role}@${r.unitId}`, `${roleName(ctx, r.role)} · ${r.unitName ?? r.unitId}`] as const,
                )}
                value={typedIn(posted, 'person-revoke', 'holding')}
                state={stateOf(posted, 'person-revoke', {
                  paths: { 'body.role': 'holding', 'body.unitId': 'holding' },
                  rules: { 'directory.role.not_held': ['holding'] },
                })}
              />
              <Field
                ctx={ctx}
                form="person-revoke"
                name="reason"
                label={d.reason}
                maxLength={500}
                value={typedIn(posted, 'person-revoke', 'reason')}
                state={stateOf(posted, 'person-revoke')}
              />
            </ActionForm>
          )}
          <ActionForm ctx={ctx} action={`${base}/deactivate`} formKey={formKey()} legend={d.deactivate}>
            <Field
              ctx={ctx}
              form="person-deactivate"
              name="reason"
              label={d.reason}
              maxLength={500}
              value={typedIn(posted, 'person-deactivate', 'reason')}
              state={stateOf(posted, 'person-deactivate')}
            />
          </ActionForm>
        </>
      )}
    </section>
  );
};
