// 我要反映: the forms to raise a problem (征题) and to record a wish (寻梦), as the acting role may use them:
// in the units that role may raise in, with the source its role sets, and — for a grid worker, a
// secretary or a member recording for a resident — the resident's name and phone (sealed by the API,
// never public). A refused form comes back with the values as they were typed and the field marked.
import { ActionForm, Choice, Field, type FormState, refusalMessage, refusedFields } from '../components.js';
import type { WorkbenchContext } from '../context.js';
import { workbenchBase } from '../http/session.js';
import { WorkbenchLayout } from '../layout.js';
import { listsOf } from './claims.js';

export const raiseProblemPath = `${workbenchBase}/raise/problem`;
export const raiseWishPath = `${workbenchBase}/raise/wish`;

export const wishCategories = ['study', 'life', 'work'] as const;
export const wishConsents = ['none', 'anonymous', 'named'] as const;
export const problemGrades = ['minor', 'small', 'medium', 'major'] as const;

export interface UnitOption {
  readonly unitId: string;
  readonly name: string;
  readonly level: number;
}

/** One form as drawn: its key (kept across a refusal, so a retry stays one item), outcome and values. */
export interface RaiseForm {
  readonly formKey: string;
  readonly state: FormState;
  readonly values: Readonly<Record<string, string>>;
}

export interface RaiseView {
  /** Null when the acting role may not raise problems. */
  readonly problem: {
    readonly units: readonly UnitOption[];
    /** The sources the role may record through: one for every role but the office. */
    readonly sources: readonly string[];
    /** Recording for someone else: the raiser's name and phone may be given. */
    readonly onBehalf: boolean;
    readonly form: RaiseForm;
  } | null;
  readonly wish: {
    readonly units: readonly UnitOption[];
    /** A resident recording their own wish. */
    readonly self: boolean;
    readonly form: RaiseForm;
  } | null;
}

const unitOptions = (units: readonly UnitOption[]) =>
  units.map((u) => [u.unitId, `${'　'.repeat(Math.max(0, u.level - 1))}${u.name}`] as const);

/** Radio buttons in a fieldset, each explained in words; marked invalid when the API named the field. */
const Radios = ({
  ctx,
  form,
  name,
  legend,
  state,
  options,
  value,
}: {
  ctx: WorkbenchContext;
  form: string;
  name: string;
  legend: string;
  state: FormState;
  options: readonly (readonly [value: string, label: string])[];
  value: string | undefined;
}) => {
  const invalid = refusedFields(state).includes(name);
  const errorId = `${form}-${name}-error`;
  return (
    <fieldset class={invalid ? 'field invalid' : 'field'}>
      <legend>{legend}</legend>
      {options.map(([v, label]) => (
        <p class="radio">
          <input
            type="radio"
            id={`${form}-${name}-${v}`}
            name={name}
            value={v}
            checked={v === value}
            required
            aria-invalid={invalid ? 'true' : undefined}
            aria-describedby={invalid ? errorId : undefined}
          />{' '}
          <label for={`${form}-${name}-${v}`}>{label}</label>
        </p>
      ))}
      {invalid && state.kind !== 'fresh' && (
        <small id={errorId} class="field-error">
          {refusalMessage(ctx, state.refusal)}
        </small>
      )}
    </fieldset>
  );
};

const ProblemForm = ({ ctx, view }: { ctx: WorkbenchContext; view: NonNullable<RaiseView['problem']> }) => {
  const t = listsOf(ctx).raise;
  const { state, values, formKey } = view.form;
  const f = 'problem';
  const source = view.sources[0] ?? '';
  return (
    <ActionForm ctx={ctx} action={raiseProblemPath} formKey={formKey} legend={t.problemLegend} submit={t.problemSubmit}>
      <Choice
        ctx={ctx}
        form={f}
        name="unitId"
        label={t.unit}
        state={state}
        options={unitOptions(view.units)}
        value={values.unitId}
      />
      <Field
        ctx={ctx}
        form={f}
        name="title"
        label={t.title}
        state={state}
        required
        value={values.title}
        hint={t.titleHint}
        maxLength={200}
      />
      <Field
        ctx={ctx}
        form={f}
        name="category"
        label={t.category}
        state={state}
        value={values.category}
        maxLength={50}
      />
      <Choice
        ctx={ctx}
        form={f}
        name="grade"
        label={t.grade}
        state={state}
        options={problemGrades.map((g) => [g, ctx.labels.grade[g] ?? g] as const)}
        value={values.grade ?? 'small'}
      />
      <Field
        ctx={ctx}
        form={f}
        name="description"
        label={t.description}
        state={state}
        value={values.description}
        hint={t.descriptionHint}
        multiline
        maxLength={2000}
      />
      {view.sources.length > 1 ? (
        <Choice
          ctx={ctx}
          form={f}
          name="source"
          label={t.source}
          state={state}
          options={view.sources.map((s) => [s, ctx.labels.source[s] ?? s] as const)}
          value={values.source}
        />
      ) : (
        <p class="fixed">{t.sourceFixed(ctx.labels.source[source] ?? source)}</p>
      )}
      {view.onBehalf && (
        <>
          <Field
            ctx={ctx}
            form={f}
            name="raiserName"
            label={t.raiserName}
            state={state}
            value={values.raiserName}
            hint={t.raiserHint}
            maxLength={100}
          />
          <Field
            ctx={ctx}
            form={f}
            name="raiserPhone"
            label={t.raiserPhone}
            state={state}
            type="tel"
            value={values.raiserPhone}
            maxLength={24}
          />
        </>
      )}
    </ActionForm>
  );
};

const WishForm = ({ ctx, view }: { ctx: WorkbenchContext; view: NonNullable<RaiseView['wish']> }) => {
  const t = listsOf(ctx).raise;
  const { state, values, formKey } = view.form;
  const f = 'wish';
  return (
    <ActionForm ctx={ctx} action={raiseWishPath} formKey={formKey} legend={t.wishLegend} submit={t.wishSubmit}>
      <Choice
        ctx={ctx}
        form={f}
        name="unitId"
        label={t.unit}
        state={state}
        options={unitOptions(view.units)}
        value={values.unitId}
      />
      <Choice
        ctx={ctx}
        form={f}
        name="category"
        label={t.wishCategory}
        state={state}
        options={wishCategories.map((c) => [c, ctx.labels.wishCategory[c] ?? c] as const)}
        value={values.category}
      />
      <Field
        ctx={ctx}
        form={f}
        name="description"
        label={t.wishDescription}
        state={state}
        required
        value={values.description}
        hint={t.wishDescriptionHint}
        multiline
        maxLength={2000}
      />
      <Radios
        ctx={ctx}
        form={f}
        name="consent"
        legend={t.consent}
        state={state}
        options={wishConsents.map((c) => [c, t.consentOptions[c] ?? c] as const)}
        value={values.consent}
      />
      <Field
        ctx={ctx}
        form={f}
        name="wisherName"
        label={view.self ? t.wisherSelf : t.wisherName}
        state={state}
        required
        value={values.wisherName}
        hint={view.self ? t.wisherSelfHint : t.wisherHint}
        maxLength={50}
      />
      <Field
        ctx={ctx}
        form={f}
        name="wisherPhone"
        label={view.self ? t.selfPhone : t.wisherPhone}
        state={state}
        type="tel"
        value={values.wisherPhone}
        maxLength={24}
      />
    </ActionForm>
  );
};

export const RaisePage = ({ ctx, view }: { ctx: WorkbenchContext; view: RaiseView }) => {
  const t = listsOf(ctx).raise;
  const problemState = view.problem?.form.state ?? { kind: 'fresh' };
  const wishState = view.wish?.form.state ?? { kind: 'fresh' };
  return (
    <WorkbenchLayout ctx={ctx} title={t.heading} active="raise">
      <h1>{t.heading}</h1>
      {view.problem === null && view.wish === null ? (
        <p>{t.notForRole}</p>
      ) : (
        <>
          <p>{t.intro}</p>
          {view.problem !== null && (
            <section aria-labelledby="raise-problem-heading" id="raise-problem">
              <h2 id="raise-problem-heading">{t.problemLegend}</h2>
              <RaiseNotice ctx={ctx} state={problemState} />
              {view.problem.units.length === 0 ? <p>{t.noUnits}</p> : <ProblemForm ctx={ctx} view={view.problem} />}
            </section>
          )}
          {view.wish !== null && (
            <section aria-labelledby="raise-wish-heading" id="raise-wish">
              <h2 id="raise-wish-heading">{t.wishLegend}</h2>
              <RaiseNotice ctx={ctx} state={wishState} />
              {view.wish.units.length === 0 ? <p>{t.noUnits}</p> : <WishForm ctx={ctx} view={view.wish} />}
            </section>
          )}
        </>
      )}
    </WorkbenchLayout>
  );
};

/**
 * The refusal banner of one form. Notice's own heading is an h2 with a fixed id; two forms on one page
 * would repeat it, so the summary here is a paragraph announced as an alert.
 */
const RaiseNotice = ({ ctx, state }: { ctx: WorkbenchContext; state: FormState }) => {
  if (state.kind === 'fresh') return null;
  return (
    <p
      class={state.kind === 'conflict' ? 'notice conflict' : 'notice error'}
      role="alert"
      data-rule={state.refusal.rule}
    >
      <strong>{state.kind === 'conflict' ? ctx.m.form.conflictHeading : ctx.m.form.refused}</strong>
      {'：'}
      {state.kind === 'conflict' ? ctx.m.form.conflict : refusalMessage(ctx, state.refusal)}
    </p>
  );
};
