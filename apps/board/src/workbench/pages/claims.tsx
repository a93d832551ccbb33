// 领题与领梦: what the person has claimed (with the promised day and an overdue mark in words) and what
// waits for them to claim in their units, each row linking to the item's page where the forms are.
import { localMoment } from '../../http/deps.js';
import type { WorkbenchContext } from '../context.js';
import { workbenchBase } from '../http/session.js';
import { byLang } from '../i18n/index.js';
import { type ListsMessages, lists } from '../i18n/lists.js';
import { WorkbenchLayout } from '../layout.js';

/** A problem row of the API's work lists (GET /me/claims, /me/claimable, /me/items). */
export interface ProblemWork {
  readonly problemId: string;
  readonly title: string;
  readonly status: string;
  readonly grade: string;
  readonly unitId: string;
  readonly unitName: string | null;
  readonly solicitedAt: string;
  readonly claimedAt: string | null;
  readonly promisedBy: string | null;
  readonly overdue: boolean;
}

export interface WishWork {
  readonly wishId: string;
  readonly category: string;
  readonly status: string;
  readonly unitId: string;
  readonly unitName: string | null;
  readonly collectedAt: string;
  readonly claimedAt: string | null;
  readonly consent: string;
}

export interface WorkLists {
  readonly problems: readonly ProblemWork[];
  readonly wishes: readonly WishWork[];
}

/** A moment of the read models as the local day it fell on. */
export const dayOf = (iso: string | null): string | null => {
  if (iso === null) return null;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : localMoment(at).slice(0, 10);
};

export const problemPath = (id: string) => `${workbenchBase}/problems/${encodeURIComponent(id)}`;
export const wishPath = (id: string) => `${workbenchBase}/wishes/${encodeURIComponent(id)}`;

export const listsOf = (ctx: WorkbenchContext): ListsMessages => byLang(lists, ctx.lang);

/** The overdue mark: in words, with a class for colour. */
const Overdue = ({ ctx, overdue }: { ctx: WorkbenchContext; overdue: boolean }) => {
  const t = listsOf(ctx);
  return <span class={overdue ? 'overdue' : 'on-time'}>{overdue ? t.overdue : t.onTime}</span>;
};

export const ProblemTable = ({
  ctx,
  id,
  caption,
  rows,
  claimed,
}: {
  ctx: WorkbenchContext;
  id: string;
  caption: string;
  rows: readonly ProblemWork[];
  claimed: boolean;
}) => {
  const t = listsOf(ctx).columns;
  const l = listsOf(ctx);
  return (
    <div class="table-wrap">
      <table id={id}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.title}</th>
            <th scope="col">{t.unit}</th>
            <th scope="col">{claimed ? t.claimed : t.raised}</th>
            <th scope="col">{t.deadline}</th>
            <th scope="col">{t.status}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-problem={r.problemId}>
              <th scope="row">
                <a href={problemPath(r.problemId)}>{r.title}</a>
                <br />
                <small>{ctx.labels.grade[r.grade] ?? r.grade}</small>
              </th>
              <td>{r.unitName ?? r.unitId}</td>
              <td>{dayOf(claimed ? r.claimedAt : r.solicitedAt) ?? ctx.labels.none}</td>
              <td>
                {r.promisedBy ?? l.noDeadline} <Overdue ctx={ctx} overdue={r.overdue} />
              </td>
              <td>{ctx.labels.problemStatus[r.status] ?? r.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

export const WishTable = ({
  ctx,
  id,
  caption,
  rows,
  claimed,
}: {
  ctx: WorkbenchContext;
  id: string;
  caption: string;
  rows: readonly WishWork[];
  claimed: boolean;
}) => {
  const l = listsOf(ctx);
  const t = l.columns;
  return (
    <div class="table-wrap">
      <table id={id}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.category}</th>
            <th scope="col">{t.unit}</th>
            <th scope="col">{claimed ? t.claimed : t.raised}</th>
            <th scope="col">{t.consent}</th>
            <th scope="col">{t.status}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-wish={r.wishId}>
              <th scope="row">
                <a href={wishPath(r.wishId)}>{`${ctx.labels.wishCategory[r.category] ?? r.category} · ${r.wishId}`}</a>
              </th>
              <td>{r.unitName ?? r.unitId}</td>
              <td>{dayOf(claimed ? r.claimedAt : r.collectedAt) ?? ctx.labels.none}</td>
              <td>{l.raise.consentOptions[r.consent] ?? r.consent}</td>
              <td>{ctx.labels.wishStatus[r.status] ?? r.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

export interface ClaimsView {
  /** What the acting role claims: problems (secretary, department handler), wishes (member), or nothing. */
  readonly kind: 'problems' | 'wishes' | null;
  readonly mine: WorkLists;
  readonly claimable: WorkLists;
  readonly quota: { readonly open: number; readonly limit: number | null } | null;
}

export const ClaimsPage = ({ ctx, view }: { ctx: WorkbenchContext; view: ClaimsView }) => {
  const l = listsOf(ctx);
  const t = l.claims;
  const section = (which: 'mine' | 'claimable', rows: WorkLists) => {
    const claimed = which === 'mine';
    const heading = claimed ? t.mine : t.claimable;
    const empty = view.kind === 'problems' ? rows.problems.length === 0 : rows.wishes.length === 0;
    return (
      <section aria-labelledby={`${which}-heading`}>
        <h2 id={`${which}-heading`}>{heading}</h2>
        {empty ? (
          <p>{claimed ? t.noMine : t.noClaimable}</p>
        ) : view.kind === 'problems' ? (
          <ProblemTable
            ctx={ctx}
            id={`${which}-problems`}
            caption={`${heading} · ${t.problems}`}
            rows={rows.problems}
            claimed={claimed}
          />
        ) : (
          <WishTable
            ctx={ctx}
            id={`${which}-wishes`}
            caption={`${heading} · ${t.wishes}`}
            rows={rows.wishes}
            claimed={claimed}
          />
        )}
      </section>
    );
  };
  return (
    <WorkbenchLayout ctx={ctx} title={t.heading} active="claims">
      <h1>{t.heading}</h1>
      {view.kind === null ? (
        <p>{t.notForRole}</p>
      ) : (
        <>
          {view.quota !== null && (
            <p class="quota" data-testid="claim-quota">
              {t.quota(view.quota.open, view.quota.limit)}
            </p>
          )}
          {section('mine', view.mine)}
          {section('claimable', view.claimable)}
          <p class="hint">{l.freshness}</p>
        </>
      )}
    </WorkbenchLayout>
  );
};
