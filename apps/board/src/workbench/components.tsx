// Form pieces every workbench page uses, so that every form carries its CSRF token, its own key and the
// revision it was filled in at, and every refusal is shown the same way: in the person's language, next
// to the field it concerns (and in a summary at the top, announced to screen readers).
import type { ComponentChildren } from 'preact';
import type { WorkbenchContext } from './context.js';
import type { ApiRefusal } from './http/api-client.js';
import type { CommandOutcome } from './http/kit.js';
import { fieldLabel, refusalText } from './i18n/refusals.js';
import { CsrfField } from './layout.js';

/** What a form post came to, shown on the page it re-renders: nothing yet, refused, or a conflict. */
export type FormState = { readonly kind: 'fresh' } | Exclude<CommandOutcome, { kind: 'done' }>;

export const fresh: FormState = { kind: 'fresh' };

/** The refusal's text in the person's language: the rule's own text, or the API's message when unknown. */
export const refusalMessage = (ctx: WorkbenchContext, refusal: ApiRefusal) =>
  refusalText(ctx.lang, refusal.rule, refusal.message);

/** The field paths a refusal names, as `body.plan` → `plan`, for matching a form's inputs. */
export const refusedFields = (state: FormState): readonly string[] =>
  state.kind === 'fresh' ? [] : state.refusal.fields.map((f) => f.path.replace(/^body\./, '').split('.')[0] ?? f.path);

/** The banner at the top of a page after a post: done, refused (with the fields), or someone acted first. */
export const Notice = ({ ctx, state, done }: { ctx: WorkbenchContext; state: FormState; done?: boolean }) => {
  const { m } = ctx;
  if (state.kind === 'fresh') return done === true ? <output class="notice ok">{m.form.done}</output> : null;
  const labels = [...new Set(state.refusal.fields.map((f) => fieldLabel(ctx.lang, f.path) ?? f.path))];
  if (state.kind === 'conflict')
    return (
      <section class="notice conflict" role="alert" aria-labelledby="notice-heading">
        <h2 id="notice-heading">{m.form.conflictHeading}</h2>
        <p>{m.form.conflict}</p>
      </section>
    );
  return (
    <section class="notice error" role="alert" aria-labelledby="notice-heading">
      <h2 id="notice-heading">{m.form.refused}</h2>
      <p data-rule={state.refusal.rule}>{refusalMessage(ctx, state.refusal)}</p>
      {labels.length > 0 && <p>{m.form.field(labels.join('、'))}</p>}
    </section>
  );
};

/**
 * A form that posts to the workbench: CSRF token, a fresh Idempotency-Key and, for an item, the revision
 * the person saw. `multipart` for forms with files.
 */
export const ActionForm = ({
  ctx,
  action,
  formKey,
  revision,
  multipart = false,
  legend,
  children,
  submit,
  id,
}: {
  ctx: WorkbenchContext;
  action: string;
  formKey: string;
  revision?: number;
  multipart?: boolean;
  legend: string;
  children?: ComponentChildren;
  submit?: string;
  id?: string;
}) => (
  <form method="post" action={action} class="action" id={id} {...(multipart ? { enctype: 'multipart/form-data' } : {})}>
    <CsrfField ctx={ctx} />
    <input type="hidden" name="formKey" value={formKey} />
    {revision !== undefined && <input type="hidden" name="revision" value={String(revision)} />}
    <fieldset>
      <legend>{legend}</legend>
      {children}
      <button type="submit">{submit ?? ctx.m.form.submit}</button>
    </fieldset>
  </form>
);

const fieldId = (form: string, name: string) => `${form}-${name}`;

/** One labelled input; marked invalid, with the refusal next to it, when the API named this field. */
export const Field = ({
  ctx,
  form,
  name,
  label,
  state,
  type = 'text',
  required = false,
  value,
  hint,
  maxLength,
  multiline = false,
  accept,
  multiple,
  min,
}: {
  ctx: WorkbenchContext;
  form: string;
  name: string;
  label: string;
  state: FormState;
  type?: 'text' | 'date' | 'tel' | 'email' | 'file' | 'number';
  required?: boolean;
  value?: string;
  hint?: string;
  maxLength?: number;
  multiline?: boolean;
  accept?: string;
  multiple?: boolean;
  min?: string;
}) => {
  const id = fieldId(form, name);
  const invalid = refusedFields(state).includes(name);
  const describedBy = [hint === undefined ? null : `${id}-hint`, invalid ? `${id}-error` : null]
    .filter(Boolean)
    .join(' ');
  const common = {
    id,
    name,
    required,
    'aria-invalid': invalid ? ('true' as const) : undefined,
    'aria-describedby': describedBy === '' ? undefined : describedBy,
  };
  return (
    <p class={invalid ? 'field invalid' : 'field'}>
      <label for={id}>
        {label}
        {required ? '' : ` （${ctx.m.form.optional}）`}
      </label>
      {multiline ? (
        <textarea {...common} rows={3} maxLength={maxLength}>
          {value ?? ''}
        </textarea>
      ) : (
        <input
          {...common}
          type={type}
          value={type === 'file' ? undefined : value}
          maxLength={maxLength}
          accept={accept}
          multiple={multiple}
          min={min}
        />
      )}
      {hint !== undefined && (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
      {invalid && state.kind !== 'fresh' && (
        <small id={`${id}-error`} class="field-error">
          {refusalMessage(ctx, state.refusal)}
        </small>
      )}
    </p>
  );
};

/** A labelled select of fixed options. */
export const Choice = ({
  ctx,
  form,
  name,
  label,
  state,
  options,
  value,
  required = true,
}: {
  ctx: WorkbenchContext;
  form: string;
  name: string;
  label: string;
  state: FormState;
  options: readonly (readonly [value: string, label: string])[];
  value?: string;
  required?: boolean;
}) => {
  const id = fieldId(form, name);
  const invalid = refusedFields(state).includes(name);
  return (
    <p class={invalid ? 'field invalid' : 'field'}>
      <label for={id}>{label}</label>
      <select id={id} name={name} required={required} aria-invalid={invalid ? 'true' : undefined}>
        {!required && <option value="">—</option>}
        {options.map(([v, l]) => (
          <option value={v} selected={v === value}>
            {l}
          </option>
        ))}
      </select>
      {invalid && state.kind !== 'fresh' && <small class="field-error">{refusalMessage(ctx, state.refusal)}</small>}
    </p>
  );
};

/** The evidence types the store accepts (evidence/media.ts), offered by the file picker. */
const evidenceAccept = 'image/jpeg,image/png,image/webp,application/pdf';

/** The files of a solve or fulfil form: one or more photos or PDFs, under the field the upload reads. */
export const EvidenceField = ({
  ctx,
  form,
  state,
  label,
  hint,
}: {
  ctx: WorkbenchContext;
  form: string;
  state: FormState;
  label: string;
  hint: string;
}) => (
  <Field
    ctx={ctx}
    form={form}
    state={state}
    name="evidence"
    label={label}
    type="file"
    required
    multiple
    accept={evidenceAccept}
    hint={hint}
  />
);
