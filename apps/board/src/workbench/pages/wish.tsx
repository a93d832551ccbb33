// A wish as someone acting on it sees it in the workbench (微心愿: 寻梦 → 领梦 → 圆梦 → 亮梦): where it stands
// (from its events, so the forms carry the revision it was read at), its public record (category, dates,
// the wish as disclosed), its evidence, the forms the acting role may use in its state, and the redacted
// timeline. The decider stays the judge: a form shown here is a guess at what it will accept, and a
// refusal comes back onto this page.
import type { Wish } from '@banshishi/core';
import type { PublicWish } from '@banshishi/read-models';
import type { ComponentChildren, VNode } from 'preact';
import type { DirectorySnapshot } from '../../http/directory-cache.js';
import { shownDate, shownMoment } from '../../views/context.js';
import { ActionForm, Choice, EvidenceField, Field, type FormState, fresh, Notice } from '../components.js';
import type { WorkbenchContext } from '../context.js';
import { evidenceHashOf } from '../evidence/store.js';
import { workbenchBase } from '../http/session.js';
import { byLang } from '../i18n/index.js';
import { type WishMessages, wishMessages } from '../i18n/wish.js';
import { ItemTimeline, type LoadedItem } from '../items.js';
import { roleLabel, WorkbenchLayout } from '../layout.js';

export type WishAction = 'claim' | 'release' | 'fulfil' | 'confirm' | 'showcase' | 'cancel';

/** What the page needs: the item from the API, its public row (it may trail a moment), the directory. */
export interface WishView {
  readonly item: LoadedItem;
  readonly row: PublicWish | undefined;
  readonly dir: DirectorySnapshot;
  /** The member's open claims and the campaign's limit on them (GET /me/claims); null for anyone else. */
  readonly claims: { readonly open: number; readonly limit: number } | null;
}

/** The form a refused post came from, with what the person had typed, to show it again beside the refusal. */
export interface PostedForm {
  readonly action: WishAction;
  readonly values: Readonly<Record<string, string>>;
}

export const wishPath = (id: string) => `${workbenchBase}/wishes/${encodeURIComponent(id)}`;
const actionPath = (id: string, action: WishAction) => `${wishPath(id)}/${action}`;

export const wishOf = (item: LoadedItem): Wish | null =>
  typeof item.state.wishId === 'string' ? (item.state as unknown as Wish) : null;

/** The unit and every unit above it, nearest first. */
const ancestry = (dir: DirectorySnapshot, unitId: string): readonly string[] => {
  const out: string[] = [];
  for (let at = dir.unitById.get(unitId); at !== undefined && out.length < 8; at = dir.unitById.get(at.parent_id ?? ''))
    out.push(at.unit_id);
  return out;
};

/** Whether the person holds `role` in `unitId` or a unit above it: the decider's `isWithin` on the directory. */
const holdsOver = (ctx: WorkbenchContext, dir: DirectorySnapshot, role: string, unitId: string) => {
  const above = ancestry(dir, unitId);
  return (ctx.principal?.roles ?? []).some((h) => h.role === role && above.includes(h.unitId));
};

/** The wisher speaks for themself, or through the collector who recorded the wish for them. */
const speaksForWisher = (ctx: WorkbenchContext, w: Wish) => {
  const me = ctx.principal?.personId;
  return me !== undefined && (w.wisher.personId === me || w.collector?.personId === me);
};

/** The forms the acting role may use on the wish in its state, after the decider's rules. */
export const wishActions = (ctx: WorkbenchContext, w: Wish, dir: DirectorySnapshot): WishAction[] => {
  const acting = ctx.principal?.acting ?? null;
  const me = ctx.principal?.personId;
  if (acting === null || me === undefined || w.status === 'cancelled' || w.status === 'showcased') return [];
  const open = w.status === 'collected' || w.status === 'claimed';
  const mine = w.claimantId === me;
  const wisher = speaksForWisher(ctx, w);
  // 撤销: the wisher withdraws, or the office (or the collector's unit's secretary) finds it invalid.
  const cancel =
    open &&
    (wisher ||
      (acting.role === 'office' && holdsOver(ctx, dir, 'office', w.unitId)) ||
      (acting.role === 'secretary' && holdsOver(ctx, dir, 'secretary', w.collector?.unitId ?? w.unitId)));
  const confirm =
    w.status === 'fulfilled' &&
    wisher &&
    !mine &&
    ['resident', 'grid_worker', 'member', 'secretary'].includes(acting.role);
  // 亮梦 is offered to the office of the wish's district and to its claimant; with no consent the page
  // says why instead (see Forms).
  const showcase =
    w.status === 'confirmed' &&
    ((acting.role === 'office' && holdsOver(ctx, dir, 'office', w.unitId)) || (acting.role === 'member' && mine));
  const member = acting.role === 'member';
  return [
    ...(member && w.status === 'collected' && w.wisher.personId !== me && holdsOver(ctx, dir, 'member', w.unitId)
      ? (['claim'] as const)
      : []),
    ...(member && w.status === 'claimed' && mine ? (['fulfil', 'release'] as const) : []),
    ...(confirm ? (['confirm'] as const) : []),
    ...(showcase ? (['showcase'] as const) : []),
    ...(cancel ? (['cancel'] as const) : []),
  ];
};

const Fact = ({ name, children }: { name: string; children: ComponentChildren }) => (
  <>
    <dt>{name}</dt>
    <dd>{children}</dd>
  </>
);

interface EvidenceLink {
  readonly href: string | null;
  readonly label: string;
  readonly givenAt: string;
}

/** Every piece of evidence given with a 圆梦 (a reopened wish may be fulfilled again), oldest first. */
const evidenceOf = (item: LoadedItem, wm: WishMessages): EvidenceLink[] => {
  let n = 0;
  return item.timeline
    .filter((e) => e.event_type === 'WishFulfilled')
    .flatMap((e) => {
      const list = (e.details as { evidence?: unknown }).evidence;
      return (Array.isArray(list) ? list : []).flatMap((uri: unknown) => {
        if (typeof uri !== 'string') return [];
        n += 1;
        const hash = evidenceHashOf(uri);
        const href = hash !== null ? `${workbenchBase}/evidence/${hash}` : /^https:\/\/[^\s]+$/.test(uri) ? uri : null;
        return [{ href, label: wm.evidence.file(n), givenAt: e.occurred_at }];
      });
    });
};

const Evidence = ({ item, wm }: { item: LoadedItem; wm: WishMessages }) => {
  const links = evidenceOf(item, wm);
  return (
    <section aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">{wm.evidence.heading}</h2>
      {links.length === 0 ? (
        <p>{wm.evidence.none}</p>
      ) : (
        <ul class="evidence">
          {links.map((l) => (
            <li>
              {l.href === null ? (
                l.label
              ) : (
                <a href={l.href} rel="noopener noreferrer" data-testid="evidence-link">
                  {l.label}
                </a>
              )}
              {` （${wm.evidence.given(shownDate(l.givenAt))}）`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};

const Facts = ({ ctx, view, w, wm }: { ctx: WorkbenchContext; view: WishView; w: Wish; wm: WishMessages }) => {
  const { labels: l } = ctx;
  const { row, dir, item } = view;
  const unit = (id: string | null | undefined) => (id == null ? l.none : (dir.unitById.get(id)?.name ?? id));
  const me = ctx.principal?.personId;
  const dated = (name: string, at: string | null | undefined) =>
    at == null ? null : <Fact name={name}>{shownMoment(at)}</Fact>;
  return (
    <section aria-labelledby="facts-heading">
      <h2 id="facts-heading">{wm.facts.heading}</h2>
      <dl class="state">
        <Fact name={ctx.m.item.status}>
          <span data-testid="status">{l.wishStatus[w.status] ?? w.status}</span>
        </Fact>
        <Fact name={wm.facts.id}>{w.wishId}</Fact>
        <Fact name={ctx.m.item.unit}>{unit(w.unitId)}</Fact>
        <Fact name={wm.facts.category}>
          {row === undefined ? l.none : (l.wishCategory[row.category] ?? row.category)}
        </Fact>
        <Fact name={wm.facts.consent}>
          <span data-testid="consent">{wm.consent[w.consent] ?? w.consent}</span>
        </Fact>
        <Fact name={wm.facts.collector}>
          {w.collector === null
            ? wm.facts.selfRaised
            : `${roleLabel(ctx, w.collector.role)} · ${unit(w.collector.unitId)}`}
        </Fact>
        {w.claimantId !== null && (
          <Fact name={wm.facts.claimant}>
            {row?.claimant_name ?? roleLabel(ctx, 'member')}
            {w.claimantId === me && wm.facts.mine}
          </Fact>
        )}
        {dated(wm.facts.collected, row?.collected_at)}
        {w.claimantId !== null && dated(wm.facts.claimed, row?.claimed_at)}
        {dated(wm.facts.fulfilled, row?.fulfilled_at)}
        {dated(wm.facts.confirmed, row?.confirmed_at)}
        {dated(wm.facts.showcased, row?.showcased_at)}
        {dated(wm.facts.cancelled, row?.cancelled_at)}
        <Fact name={wm.facts.description}>
          {w.consent === 'none' || row?.description == null ? (
            <span class="note">{w.consent === 'none' ? wm.facts.descriptionWithheld : l.none}</span>
          ) : (
            <span data-testid="description">{row.description}</span>
          )}
        </Fact>
        {row?.fulfilment_summary != null && <Fact name={wm.facts.summary}>{row.fulfilment_summary}</Fact>}
        <Fact name={ctx.m.item.revision}>
          <span data-testid="revision">{String(item.revision)}</span>
        </Fact>
      </dl>
    </section>
  );
};

interface FormsProps {
  readonly ctx: WorkbenchContext;
  readonly view: WishView;
  readonly w: Wish;
  readonly wm: WishMessages;
  readonly state: FormState;
  readonly posted: PostedForm | null;
  readonly formKey: () => string;
}

const Forms = ({ ctx, view, w, wm, state, posted, formKey }: FormsProps) => {
  const { item, dir, claims } = view;
  const actions = wishActions(ctx, w, dir);
  if (actions.length === 0) return <p>{ctx.m.item.noActions}</p>;
  const stateOf = (a: WishAction) => (posted?.action === a ? state : fresh);
  const typed = (a: WishAction, name: string) => (posted?.action === a ? posted.values[name] : undefined);
  const common = (a: WishAction) => ({ ctx, form: a, state: stateOf(a) });
  const frame = (a: WishAction, legend: string, submit: string, children: ComponentChildren, multipart = false) => (
    <ActionForm
      ctx={ctx}
      action={actionPath(w.wishId, a)}
      formKey={formKey()}
      revision={item.revision}
      legend={legend}
      submit={submit}
      id={`form-${a}`}
      multipart={multipart}
    >
      {children}
    </ActionForm>
  );
  const wisherCancels = speaksForWisher(ctx, w) && !['office', 'secretary'].includes(ctx.principal?.acting?.role ?? '');
  const forms: Record<WishAction, () => VNode> = {
    claim: () =>
      frame(
        'claim',
        wm.claim.legend,
        wm.claim.submit,
        <>
          <p>{wm.claim.intro}</p>
          {claims !== null && (
            <p data-testid="claim-count">
              {wm.claim.count(claims.open, claims.limit)}
              {claims.open >= claims.limit && ` · ${wm.claim.full}`}
            </p>
          )}
        </>,
      ),
    release: () =>
      frame(
        'release',
        wm.release.legend,
        wm.release.submit,
        <Field
          {...common('release')}
          name="reason"
          label={wm.release.reason}
          multiline
          maxLength={500}
          value={typed('release', 'reason')}
        />,
      ),
    fulfil: () =>
      frame(
        'fulfil',
        wm.fulfil.legend,
        wm.fulfil.submit,
        <>
          <Field
            {...common('fulfil')}
            name="summary"
            label={wm.fulfil.summary}
            required
            multiline
            maxLength={2000}
            value={typed('fulfil', 'summary')}
          />
          <EvidenceField {...common('fulfil')} label={wm.fulfil.evidence} hint={wm.fulfil.evidenceHint} />
        </>,
        true,
      ),
    confirm: () =>
      frame(
        'confirm',
        wm.confirm.legend,
        wm.confirm.submit,
        <>
          <p>{wm.confirm.intro}</p>
          <Choice
            {...common('confirm')}
            name="verdict"
            label={wm.confirm.verdict}
            options={(['satisfied', 'unsatisfied'] as const).map((v) => [v, wm.confirm.verdicts[v] ?? v] as const)}
            value={typed('confirm', 'verdict')}
          />
          <Field
            {...common('confirm')}
            name="comment"
            label={wm.confirm.comment}
            multiline
            maxLength={1000}
            value={typed('confirm', 'comment')}
          />
        </>,
      ),
    showcase: () =>
      w.consent === 'none' ? (
        <section class="action" aria-labelledby="showcase-heading">
          <h3 id="showcase-heading">{wm.showcase.legend}</h3>
          <p data-testid="no-consent">{wm.showcase.noConsent}</p>
        </section>
      ) : (
        frame(
          'showcase',
          wm.showcase.legend,
          wm.showcase.submit,
          <>
            <p>{wm.showcase.shownAs(wm.consent[w.consent] ?? w.consent)}</p>
            <Field
              {...common('showcase')}
              name="story"
              label={wm.showcase.story}
              required
              multiline
              maxLength={2000}
              hint={wm.showcase.storyHint}
              value={typed('showcase', 'story')}
            />
          </>,
        )
      ),
    cancel: () =>
      frame(
        'cancel',
        wm.cancel.legend,
        wm.cancel.submit,
        <>
          <input type="hidden" name="grounds" value={wisherCancels ? 'withdrawn' : 'invalid'} />
          <p>{wisherCancels ? wm.cancel.withdrawn : wm.cancel.invalid}</p>
          <Field
            {...common('cancel')}
            name="reason"
            label={wm.cancel.reason}
            required={!wisherCancels}
            multiline
            maxLength={500}
            value={typed('cancel', 'reason')}
          />
        </>,
      ),
  };
  return <>{actions.map((a) => forms[a]())}</>;
};

export const WishPage = ({
  ctx,
  view,
  state,
  done,
  posted,
  formKey,
  contact,
}: {
  ctx: WorkbenchContext;
  view: WishView;
  state: FormState;
  done: boolean;
  posted: PostedForm | null;
  formKey: () => string;
  /** The contact panel, for the claimant and the office (pages/contact.tsx). */
  contact?: ComponentChildren;
}) => {
  const wm = byLang(wishMessages, ctx.lang);
  const w = wishOf(view.item);
  const heading = wm.heading(view.item.id);
  return (
    <WorkbenchLayout ctx={ctx} title={heading}>
      <p class="kicker">{wm.kicker}</p>
      <h1>{heading}</h1>
      <Notice ctx={ctx} state={state} done={done} />
      {view.row === undefined && <p class="note">{wm.lagging}</p>}
      {w !== null && (
        <>
          <Facts ctx={ctx} view={view} w={w} wm={wm} />
          {contact}
          <Evidence item={view.item} wm={wm} />
          <section aria-labelledby="actions-heading">
            <h2 id="actions-heading">{ctx.m.item.actions}</h2>
            <Forms ctx={ctx} view={view} w={w} wm={wm} state={state} posted={posted} formKey={formKey} />
          </section>
        </>
      )}
      <ItemTimeline ctx={ctx} dir={view.dir} item={view.item} />
      <p>
        <a href={`/wishes/${encodeURIComponent(view.item.id)}`}>{ctx.m.item.board}</a>
      </p>
    </WorkbenchLayout>
  );
};
