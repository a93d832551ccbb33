// 公示栏: problems or wishes with every filter as a query parameter (a filtered list is a link to share),
// paged, with the same rows as CSV, JSON and a feed.
import type { PublicProblem, PublicWish, UnitsTable } from '@banshishi/read-models';
import type { DirectorySnapshot } from '../http/directory-cache.js';
import type { Messages } from '../i18n/index.js';
import {
  type FilterParams,
  linkTo,
  problemGrades,
  problemSources,
  problemStatuses,
  wishStatuses,
} from '../routes/filters.js';
import { DataLinks, Pager, TableRegion } from '../views/components.js';
import { type PageContext, shownDate, shownMoment } from '../views/context.js';
import { Layout } from '../views/layout.js';

export type DisclosureData =
  | { readonly kind: 'problems'; readonly rows: readonly PublicProblem[]; readonly total: number }
  | { readonly kind: 'wishes'; readonly rows: readonly PublicWish[]; readonly total: number };

const indent = (level: number) => '\u3000'.repeat(Math.max(0, level - 1));

/**
 * The units the filter offers: the district and its streets and departments, and below them only the path
 * to the unit chosen and its children, so a reader narrows step by step (street, then community, then
 * grid) without JavaScript, and a district of thousands of grids does not send them all with every page.
 */
const unitChoices = (dir: DirectorySnapshot, chosen: string | undefined) => {
  const unit = chosen === undefined ? undefined : dir.unitById.get(chosen);
  const open = new Set(
    unit === undefined
      ? []
      : [unit.level1_id, unit.level2_id, unit.level3_id, unit.level4_id].filter((id) => id !== null),
  );
  const shown = (u: UnitsTable) =>
    u.level <= 2 || open.has(u.unit_id) || (u.parent_id !== null && open.has(u.parent_id));
  // In tree order, each unit under its parent, as the indentation draws it.
  const out: UnitsTable[] = [];
  const walk = (parent: string | null) => {
    for (const u of dir.childrenOf.get(parent) ?? []) {
      if (!shown(u)) continue;
      out.push(u);
      walk(u.unit_id);
    }
  };
  walk(null);
  return out;
};

const Select = ({
  name,
  label,
  value,
  options,
  m,
}: {
  name: string;
  label: string;
  value: string | undefined;
  options: readonly (readonly [string, string])[];
  m: Messages;
}) => (
  <div class="field">
    <label for={`f-${name}`}>{label}</label>
    <select id={`f-${name}`} name={name}>
      <option value="">{m.disclosure.anyValue}</option>
      {options.map(([v, text]) => (
        <option value={v} selected={v === value}>
          {text}
        </option>
      ))}
    </select>
  </div>
);

const Filters = ({
  ctx,
  dir,
  kind,
  params,
}: {
  ctx: PageContext;
  dir: DirectorySnapshot;
  kind: DisclosureData['kind'];
  params: FilterParams;
}) => {
  const { m } = ctx;
  const l = m.labels;
  const statuses = kind === 'problems' ? problemStatuses : wishStatuses;
  const statusLabels = kind === 'problems' ? l.problemStatus : l.wishStatus;
  return (
    <form class="filters" method="get" action="/disclosure" aria-labelledby="filters-heading">
      <h2 id="filters-heading">{m.disclosure.filters}</h2>
      <input type="hidden" name="kind" value={kind} />
      <Select
        m={m}
        name="unit"
        label={m.disclosure.unit}
        value={params.unit}
        options={unitChoices(dir, params.unit).map((u) => [u.unit_id, `${indent(u.level)}${u.name}`] as const)}
      />
      <Select
        m={m}
        name="category"
        label={m.disclosure.category}
        value={params.category}
        options={dir.categories
          .filter((c) => (kind === 'problems' ? c.problems > 0 : c.wishes > 0))
          .map(
            (c) => [c.category, kind === 'wishes' ? (l.wishCategory[c.category] ?? c.category) : c.category] as const,
          )}
      />
      <Select
        m={m}
        name="status"
        label={m.disclosure.status}
        value={params.status}
        options={statuses.map((s) => [s, statusLabels[s] ?? s] as const)}
      />
      {kind === 'problems' && (
        <>
          <Select
            m={m}
            name="grade"
            label={m.disclosure.grade}
            value={params.grade}
            options={problemGrades.map((g) => [g, l.grade[g] ?? g] as const)}
          />
          <Select
            m={m}
            name="source"
            label={m.disclosure.source}
            value={params.source}
            options={problemSources.map((s) => [s, l.source[s] ?? s] as const)}
          />
        </>
      )}
      <Select
        m={m}
        name="campaign"
        label={m.disclosure.campaign}
        value={params.campaign}
        options={dir.campaigns.map((c) => [c.campaign_id, c.name] as const)}
      />
      <div class="field">
        <label for="f-from">{m.disclosure.from}</label>
        <input id="f-from" type="date" name="from" value={params.from ?? ''} />
      </div>
      <div class="field">
        <label for="f-to">{m.disclosure.to}</label>
        <input id="f-to" type="date" name="to" value={params.to ?? ''} />
      </div>
      {kind === 'problems' && (
        <div class="field check">
          <input id="f-overdue" type="checkbox" name="overdue" value="1" checked={params.overdue === '1'} />
          <label for="f-overdue">{m.disclosure.overdueOnly}</label>
        </div>
      )}
      <div class="actions">
        <button type="submit">{m.disclosure.apply}</button>
        <a href={linkTo('/disclosure', {}, { kind })}>{m.disclosure.reset}</a>
      </div>
    </form>
  );
};

const ProblemRows = ({ ctx, rows }: { ctx: PageContext; rows: readonly PublicProblem[] }) => {
  const { m } = ctx;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{m.disclosure.title}</th>
          <th scope="col">{m.disclosure.status}</th>
          <th scope="col">{m.disclosure.where}</th>
          <th scope="col">{m.disclosure.claimant}</th>
          <th scope="col">{m.disclosure.raisedAt}</th>
          <th scope="col">{m.disclosure.promisedBy}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => (
          <tr>
            <th scope="row">
              <a href={`/problems/${encodeURIComponent(p.problem_id)}`}>{p.title}</a>
              <span class="meta">
                {p.problem_id} · {m.labels.grade[p.grade] ?? p.grade}
                {p.category !== null && ` · ${p.category}`}
              </span>
            </th>
            <td>
              {m.labels.problemStatus[p.status] ?? p.status}
              {p.overdue && <strong class="overdue"> {m.disclosure.overdue}</strong>}
            </td>
            <td>{p.unit_name ?? p.unit_id}</td>
            <td>{p.claimant_name ?? m.labels.none}</td>
            <td>{shownMoment(p.solicited_at)}</td>
            <td>{shownDate(p.promised_by)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

const WishRows = ({ ctx, rows }: { ctx: PageContext; rows: readonly PublicWish[] }) => {
  const { m } = ctx;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{m.disclosure.wish}</th>
          <th scope="col">{m.disclosure.status}</th>
          <th scope="col">{m.disclosure.where}</th>
          <th scope="col">{m.disclosure.member}</th>
          <th scope="col">{m.disclosure.collectedAt}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((w) => (
          <tr>
            <th scope="row">
              <a href={`/wishes/${encodeURIComponent(w.wish_id)}`}>
                {w.description ?? m.labels.wishCategory[w.category] ?? w.category}
              </a>
              <span class="meta">
                {w.wish_id} · {m.labels.wishCategory[w.category] ?? w.category}
              </span>
            </th>
            <td>{m.labels.wishStatus[w.status] ?? w.status}</td>
            <td>{w.unit_name ?? w.unit_id}</td>
            <td>{w.claimant_name ?? m.labels.none}</td>
            <td>{shownMoment(w.collected_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

export const DisclosurePage = ({
  ctx,
  dir,
  data,
  params,
  page,
  pageSize,
}: {
  ctx: PageContext;
  dir: DirectorySnapshot;
  data: DisclosureData;
  params: FilterParams;
  page: number;
  pageSize: number;
}) => {
  const { m } = ctx;
  const kind = data.kind;
  const withKind = { ...params, kind };
  const first = data.total === 0 ? 0 : (page - 1) * pageSize + 1;
  const lastShown = Math.min(data.total, page * pageSize);
  const what = kind === 'problems' ? m.disclosure.problems : m.disclosure.wishes;
  return (
    <Layout ctx={ctx} title={`${m.disclosure.heading} · ${what}`} active="disclosure">
      <h1>{m.disclosure.heading}</h1>
      <nav class="tabs" aria-label={m.disclosure.heading}>
        <a
          href={linkTo('/disclosure', {}, { kind: 'problems' })}
          aria-current={kind === 'problems' ? 'page' : undefined}
        >
          {m.disclosure.problems}
        </a>
        <a href={linkTo('/disclosure', {}, { kind: 'wishes' })} aria-current={kind === 'wishes' ? 'page' : undefined}>
          {m.disclosure.wishes}
        </a>
      </nav>
      <Filters ctx={ctx} dir={dir} kind={kind} params={params} />
      <section aria-labelledby="results">
        <h2 id="results">{what}</h2>
        <p class="count">{m.disclosure.results(data.total, first, lastShown)}</p>
        <DataLinks
          m={m}
          csv={linkTo('/disclosure.csv', withKind)}
          json={linkTo('/disclosure.json', withKind)}
          feed={linkTo(
            kind === 'problems' ? '/feeds/closed.atom' : '/feeds/showcased.atom',
            params.unit === undefined ? {} : { unit: params.unit },
          )}
        />
        <TableRegion label={m.disclosure.tableLabel(what)}>
          {data.kind === 'problems' ? (
            <ProblemRows ctx={ctx} rows={data.rows} />
          ) : (
            <WishRows ctx={ctx} rows={data.rows} />
          )}
        </TableRegion>
        <Pager
          m={m}
          page={page}
          pageSize={pageSize}
          total={data.total}
          hrefOf={(n) =>
            linkTo('/disclosure', withKind, {
              page: String(n),
              page_size: pageSize === 50 ? undefined : String(pageSize),
            })
          }
        />
      </section>
    </Layout>
  );
};
