// A problem as someone acting on it sees it in the workbench: where it stands (from its events, so the
// forms carry the revision it was read at), its public record (title, dates), its evidence, the forms the
// acting role may use in its state, and the redacted timeline. The decider stays the judge: a form shown
// here is a guess at what it will accept, and a refusal comes back onto this page.
import { type ExistingProblem, isOverdue, type ProblemStatus } from '@banshishi/core';
import type { PublicProblem } from '@banshishi/read-models';
import type { ComponentChildren } from 'preact';
import type { DirectorySnapshot } from '../../http/directory-cache.js';
import { shownDate, shownMoment } from '../../views/context.js';
import { ActionForm, Choice, EvidenceField, Field, type FormState, fresh, Notice } from '../components.js';
import type { WorkbenchContext } from '../context.js';
import { evidenceHashOf } from '../evidence/store.js';
import { workbenchBase } from '../http/session.js';
import { byLang } from '../i18n/index.js';
import { type ProblemMessages, problemMessages } from '../i18n/problem.js';
import { ItemTimeline, type LoadedItem } from '../items.js';
import { roleLabel, WorkbenchLayout } from '../layout.js';

export type ProblemAction =
  | 'assign'
  | 'reject'
  | 'supervise'
  | 'evaluate'
  | 'callback'
  | 'claim'
  | 'progress'
  | 'solve'
  | 'escalate';

/** What the page needs: the item from the API, its public row (it may trail a moment), the directory. */
export interface ProblemView {
  readonly item: LoadedItem;
  readonly row: PublicProblem | undefined;
  readonly dir: DirectorySnapshot;
}

/** The form a refused post came from, with what the person had typed, to show it again beside the refusal. */
export interface PostedForm {
  readonly action: ProblemAction;
  readonly values: Readonly<Record<string, string>>;
}

export const problemPath = (id: string) => `${workbenchBase}/problems/${encodeURIComponent(id)}`;
const actionPath = (id: string, action: ProblemAction) => `${problemPath(id)}/${action}`;

const problemOf = (item: LoadedItem): ExistingProblem | null =>
  typeof item.state.problemId === 'string' ? (item.state as unknown as ExistingProblem) : null;

const isOpen = (status: ProblemStatus) => status === 'solicited' || status === 'assigned';

/** The unit and every unit above it, nearest first. */
const ancestry = (dir: DirectorySnapshot, unitId: string): readonly string[] => {
  const out: string[] = [];
  for (let at = dir.unitById.get(unitId); at !== undefined && out.length < 8; at = dir.unitById.get(at.parent_id ?? ''))
    out.push(at.unit_id);
  return out;
};

/** The grounds a 督办 could be given on now. */
export const supervisionGrounds = (p: ExistingProblem, now: string): readonly ('overdue' | 'reopened')[] => [
  ...(isOverdue(p, now) ? (['overdue'] as const) : []),
  ...(p.status === 'claimed' && p.reworkCount > 0 ? (['reopened'] as const) : []),
];

/** The forms the acting role may use on the problem in its state, after the decider's rules. */
export const problemActions = (ctx: WorkbenchContext, p: ExistingProblem, dir: DirectorySnapshot): ProblemAction[] => {
  const acting = ctx.principal?.acting ?? null;
  const personId = ctx.principal?.personId;
  if (acting === null || p.status === 'closed' || p.status === 'rejected') return [];
  const mine = p.status === 'claimed' && p.claim?.claimantId === personId;
  const claimantActions: ProblemAction[] = mine
    ? ['progress', 'solve', ...(dir.unitById.get(p.unitId)?.parent_id == null ? [] : (['escalate'] as const))]
    : [];
  switch (acting.role) {
    case 'office':
      return [
        ...(isOpen(p.status) ? (['assign', 'reject'] as const) : []),
        ...(supervisionGrounds(p, ctx.now).length > 0 ? (['supervise'] as const) : []),
        ...(p.status === 'solved' ? (['evaluate'] as const) : []),
        ...(p.status === 'solved' && p.raiser?.personId != null ? (['callback'] as const) : []),
      ];
    case 'secretary':
      return [
        ...(isOpen(p.status) && p.claim === null && ancestry(dir, p.unitId).includes(acting.unitId)
          ? (['claim'] as const)
          : []),
        ...(isOpen(p.status) && p.unitId === acting.unitId ? (['reject'] as const) : []),
        ...claimantActions,
      ];
    case 'department_handler':
      return [
        ...(isOpen(p.status) && p.claim === null && p.assignedTo === acting.unitId ? (['claim'] as const) : []),
        ...claimantActions,
      ];
    case 'resident':
    case 'enterprise':
      return p.status === 'solved' && p.raiser?.kind === acting.role && p.raiser.personId === personId
        ? ['evaluate']
        : [];
    default:
      return [];
  }
};

const Fact = ({ name, children }: { name: string; children: preact.ComponentChildren }) => (
  <>
    <dt>{name}</dt>
    <dd>{children}</dd>
  </>
);

interface EvidenceLink {
  readonly href: string | null;
  readonly label: string;
  readonly caption: string | null;
  readonly solvedAt: string;
}

/** Every piece of evidence given with a 解题, oldest first; stored files link to the workbench's copy. */
const evidenceOf = (item: LoadedItem, pm: ProblemMessages): EvidenceLink[] => {
  let n = 0;
  return item.timeline
    .filter((e) => e.event_type === 'ProblemSolved')
    .flatMap((e) => {
      const list = (e.details as { evidence?: unknown }).evidence;
      return (Array.isArray(list) ? list : []).flatMap((x: unknown) => {
        const ev = x as { kind?: unknown; uri?: unknown; caption?: unknown };
        if (typeof ev.uri !== 'string') return [];
        n += 1;
        const hash = evidenceHashOf(ev.uri);
        const kind = ev.kind === 'photo' || ev.kind === 'video' || ev.kind === 'link' ? ev.kind : 'document';
        return [
          {
            href:
              hash !== null ? `${workbenchBase}/evidence/${hash}` : /^https:\/\/[^\s]+$/.test(ev.uri) ? ev.uri : null,
            label: pm.evidence[kind](n),
            caption: typeof ev.caption === 'string' ? ev.caption : null,
            solvedAt: e.occurred_at,
          },
        ];
      });
    });
};

const Evidence = ({ item, pm }: { item: LoadedItem; pm: ProblemMessages }) => {
  const links = evidenceOf(item, pm);
  return (
    <section aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">{pm.evidence.heading}</h2>
      {links.length === 0 ? (
        <p>{pm.evidence.none}</p>
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
              {l.caption !== null && ` · ${l.caption}`}
              {` （${pm.evidence.solvedOn(shownDate(l.solvedAt))}）`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};

const Facts = ({
  ctx,
  view,
  p,
  pm,
}: {
  ctx: WorkbenchContext;
  view: ProblemView;
  p: ExistingProblem;
  pm: ProblemMessages;
}) => {
  const { labels: l } = ctx;
  const { row, dir, item } = view;
  const unit = (id: string | null | undefined) => (id == null ? l.none : (dir.unitById.get(id)?.name ?? id));
  const overdue = isOverdue(p, ctx.now);
  return (
    <section aria-labelledby="facts-heading">
      <h2 id="facts-heading">{pm.facts.heading}</h2>
      <dl class="state">
        <Fact name={ctx.m.item.status}>
          <span data-testid="status">{l.problemStatus[p.status] ?? p.status}</span>
        </Fact>
        {(isOpen(p.status) || p.status === 'claimed') && (
          <Fact name={pm.facts.timing}>
            {overdue ? (
              <strong class="overdue" data-testid="overdue">
                {pm.facts.overdue}
              </strong>
            ) : (
              pm.facts.notOverdue
            )}
          </Fact>
        )}
        <Fact name={pm.facts.id}>{p.problemId}</Fact>
        <Fact name={ctx.m.item.unit}>{unit(p.unitId)}</Fact>
        {p.assignedTo !== null && p.assignedTo !== p.unitId && (
          <Fact name={pm.facts.assignedTo}>{unit(p.assignedTo)}</Fact>
        )}
        <Fact name={pm.facts.grade}>{l.grade[p.grade] ?? p.grade}</Fact>
        <Fact name={pm.facts.category}>{row?.category ?? l.none}</Fact>
        <Fact name={pm.facts.source}>{l.source[p.source] ?? p.source}</Fact>
        <Fact name={pm.facts.raiser}>
          {row?.enterprise_name ?? (p.raiser === null ? l.none : roleLabel(ctx, p.raiser.kind))}
        </Fact>
        <Fact name={pm.facts.raised}>{shownMoment(p.solicitedAt)}</Fact>
        {p.claim !== null && (
          <>
            <Fact name={pm.facts.claimant}>
              {[roleLabel(ctx, p.claim.role), row?.claimant_name ?? null, unit(p.claim.unitId)]
                .filter((x) => x !== null)
                .join(' · ')}
            </Fact>
            <Fact name={pm.facts.claimed}>{shownMoment(row?.claimed_at)}</Fact>
            <Fact name={pm.facts.promised}>
              <span data-testid="promised">{shownDate(p.claim.promisedBy)}</span>
            </Fact>
            {row?.plan != null && <Fact name={pm.facts.plan}>{row.plan}</Fact>}
          </>
        )}
        {row?.solved_at != null && <Fact name={pm.facts.solved}>{shownMoment(row.solved_at)}</Fact>}
        {row?.solution_summary != null && <Fact name={pm.facts.summary}>{row.solution_summary}</Fact>}
        {p.reworkCount > 0 && (
          <Fact name={pm.facts.rework}>
            <span data-testid="rework">{pm.facts.times(p.reworkCount)}</span>
          </Fact>
        )}
        {p.supervisionCount > 0 && (
          <Fact name={pm.facts.supervision}>
            <span data-testid="supervision">{pm.facts.times(p.supervisionCount)}</span>
          </Fact>
        )}
        <Fact name={ctx.m.item.revision}>
          <span data-testid="revision">{String(item.revision)}</span>
        </Fact>
      </dl>
    </section>
  );
};

const verdicts = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;

interface FormsProps {
  readonly ctx: WorkbenchContext;
  readonly view: ProblemView;
  readonly p: ExistingProblem;
  readonly pm: ProblemMessages;
  readonly state: FormState;
  readonly posted: PostedForm | null;
  readonly formKey: () => string;
}

const Forms = ({ ctx, view, p, pm, state, posted, formKey }: FormsProps) => {
  const { item, dir } = view;
  const actions = problemActions(ctx, p, dir);
  if (actions.length === 0) return <p>{ctx.m.item.noActions}</p>;
  const stateOf = (a: ProblemAction) => (posted?.action === a ? state : fresh);
  const typed = (a: ProblemAction, name: string) => (posted?.action === a ? posted.values[name] : undefined);
  const verdictOptions = verdicts.map((v) => [v, ctx.labels.verdict[v] ?? v] as const);
  const frame = (
    a: ProblemAction,
    legend: string,
    submit: string,
    children: preact.ComponentChildren,
    multipart = false,
  ) => (
    <ActionForm
      ctx={ctx}
      action={actionPath(p.problemId, a)}
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
  const common = (a: ProblemAction) => ({ ctx, form: a, state: stateOf(a) });
  const office = ctx.principal?.acting?.role === 'office';
  const forms: Record<ProblemAction, () => preact.VNode> = {
    assign: () => {
      const district = dir.unitById.get(ctx.principal?.acting?.unitId ?? '')?.level1_id ?? null;
      const units = dir.units
        .filter((u) => !u.retired && u.unit_id !== p.unitId && (district === null || u.level1_id === district))
        .map((u) => [u.unit_id, `${u.name}（${ctx.labels.level[String(u.level)] ?? u.level}）`] as const);
      return frame(
        'assign',
        pm.assign.legend,
        pm.assign.submit,
        <>
          <Choice
            {...common('assign')}
            name="toUnitId"
            label={pm.assign.toUnitId}
            options={units}
            value={typed('assign', 'toUnitId')}
          />
          <Field
            {...common('assign')}
            name="note"
            label={pm.assign.note}
            multiline
            maxLength={2000}
            value={typed('assign', 'note')}
          />
        </>,
      );
    },
    reject: () =>
      frame(
        'reject',
        pm.reject.legend,
        pm.reject.submit,
        <>
          <Choice
            {...common('reject')}
            name="ground"
            label={pm.reject.ground}
            options={['duplicate', 'out_of_scope', 'other'].map((g) => [g, pm.rejectionGround[g] ?? g] as const)}
            value={typed('reject', 'ground')}
          />
          <Field
            {...common('reject')}
            name="reason"
            label={pm.reject.reason}
            required
            multiline
            maxLength={2000}
            value={typed('reject', 'reason')}
          />
          <Field
            {...common('reject')}
            name="duplicateOf"
            label={pm.reject.duplicateOf}
            hint={pm.reject.duplicateHint}
            maxLength={128}
            value={typed('reject', 'duplicateOf')}
          />
        </>,
      ),
    supervise: () =>
      frame(
        'supervise',
        pm.supervise.legend,
        pm.supervise.submit,
        <>
          <Choice
            {...common('supervise')}
            name="ground"
            label={pm.supervise.ground}
            options={supervisionGrounds(p, ctx.now).map((g) => [g, pm.supervisionGround[g] ?? g] as const)}
            value={typed('supervise', 'ground')}
          />
          <Field
            {...common('supervise')}
            name="note"
            label={pm.supervise.note}
            multiline
            maxLength={2000}
            value={typed('supervise', 'note')}
          />
        </>,
      ),
    evaluate: () =>
      office
        ? frame(
            'evaluate',
            pm.assess.legend,
            pm.assess.submit,
            <>
              <Choice
                {...common('evaluate')}
                name="verdict"
                label={pm.assess.verdict}
                options={verdictOptions}
                value={typed('evaluate', 'verdict')}
              />
              <p class="field check">
                <input type="checkbox" id="evaluate-raiserUnreachable" name="raiserUnreachable" value="true" />{' '}
                <label for="evaluate-raiserUnreachable">{pm.assess.unreachable}</label>
              </p>
            </>,
          )
        : frame(
            'evaluate',
            pm.rate.legend,
            pm.rate.submit,
            <>
              <p>{pm.rate.intro}</p>
              <Choice
                {...common('evaluate')}
                name="verdict"
                label={pm.rate.verdict}
                options={verdictOptions}
                value={typed('evaluate', 'verdict')}
              />
              <Field
                {...common('evaluate')}
                name="comment"
                label={pm.rate.comment}
                multiline
                maxLength={2000}
                value={typed('evaluate', 'comment')}
              />
            </>,
          ),
    callback: () =>
      frame(
        'callback',
        pm.callback.legend,
        pm.callback.submit,
        <>
          <p>{pm.callback.intro}</p>
          <input type="hidden" name="kind" value={p.raiser?.kind ?? 'resident'} />
          <Choice
            {...common('callback')}
            name="verdict"
            label={pm.callback.verdict}
            options={verdictOptions}
            value={typed('callback', 'verdict')}
          />
        </>,
      ),
    claim: () =>
      frame(
        'claim',
        pm.claim.legend,
        pm.claim.submit,
        <>
          <Field
            {...common('claim')}
            name="plan"
            label={pm.claim.plan}
            required
            multiline
            maxLength={2000}
            value={typed('claim', 'plan')}
          />
          <Field
            {...common('claim')}
            name="promisedBy"
            label={pm.claim.promisedBy}
            type="date"
            required
            min={ctx.now.slice(0, 10)}
            value={typed('claim', 'promisedBy')}
          />
        </>,
      ),
    progress: () =>
      frame(
        'progress',
        pm.progress.legend,
        pm.progress.submit,
        <Field
          {...common('progress')}
          name="note"
          label={pm.progress.note}
          required
          multiline
          maxLength={2000}
          value={typed('progress', 'note')}
        />,
      ),
    solve: () =>
      frame(
        'solve',
        pm.solve.legend,
        pm.solve.submit,
        <>
          <Field
            {...common('solve')}
            name="summary"
            label={pm.solve.summary}
            required
            multiline
            maxLength={4000}
            value={typed('solve', 'summary')}
          />
          <EvidenceField {...common('solve')} label={pm.solve.evidence} hint={pm.solve.evidenceHint} />
        </>,
        true,
      ),
    escalate: () =>
      frame(
        'escalate',
        pm.escalate.legend,
        pm.escalate.submit,
        <Field
          {...common('escalate')}
          name="reason"
          label={pm.escalate.reason}
          required
          multiline
          maxLength={2000}
          value={typed('escalate', 'reason')}
        />,
      ),
  };
  return <div class="actions">{actions.map((a) => forms[a]())}</div>;
};

export const ProblemPage = ({
  ctx,
  view,
  state,
  done,
  posted,
  formKey,
  contact,
}: {
  ctx: WorkbenchContext;
  view: ProblemView;
  state: FormState;
  done: boolean;
  posted: PostedForm | null;
  formKey: () => string;
  /** The contact panel, for the claimant and the office (pages/contact.tsx). */
  contact?: ComponentChildren;
}) => {
  const pm = byLang(problemMessages, ctx.lang);
  const { item, row, dir } = view;
  const p = problemOf(item);
  const title = row?.title ?? item.id;
  return (
    <WorkbenchLayout ctx={ctx} title={title}>
      <p class="kicker">{`${pm.kicker} · ${item.id}`}</p>
      <h1>{title}</h1>
      <Notice ctx={ctx} state={state} done={done} />
      {row === undefined && <p class="hint">{pm.lagging}</p>}
      {p !== null && <Facts ctx={ctx} view={view} p={p} pm={pm} />}
      {contact}
      <Evidence item={item} pm={pm} />
      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading">{ctx.m.item.actions}</h2>
        {p === null ? (
          <p>{ctx.m.item.noActions}</p>
        ) : (
          <Forms ctx={ctx} view={view} p={p} pm={pm} state={state} posted={posted} formKey={formKey} />
        )}
      </section>
      <ItemTimeline ctx={ctx} dir={dir} item={item} />
      <p>
        <a href={`/problems/${encodeURIComponent(item.id)}`}>{ctx.m.item.board}</a>
      </p>
    </WorkbenchLayout>
  );
};
