// An office page holds many forms; after a refused post it is drawn again with the outcome attached to the
// one form that was posted (its values kept), and with the refusal's fields named as that form's inputs:
// a decoder names `body.period.from`, a rule like "already registered" names no field at all, and the
// inputs are flat (`periodFrom`, `unitId`).
import { type FormState, fresh } from '../../components.js';

export interface Posted {
  /** The form's key on the page (`unit-new`, `targets-jz-2022`). */
  readonly form: string;
  readonly state: FormState;
  readonly values: Readonly<Record<string, string>>;
}

export const nothingPosted: Posted = { form: '', state: fresh, values: {} };

export interface FieldMap {
  /** A refusal's field path (`body.period.from`) → the input's name (`periodFrom`). */
  readonly paths?: Readonly<Record<string, string>>;
  /** A rule that names no field → the inputs it concerns. */
  readonly rules?: Readonly<Record<string, readonly string[]>>;
}

/** The outcome as `form`'s inputs see it: fresh unless this form was posted. */
export const stateOf = (posted: Posted, form: string, map: FieldMap = {}): FormState => {
  if (posted.form !== form || posted.state.kind === 'fresh') return fresh;
  const refusal = posted.state.refusal;
  const named = refusal.fields.map((f) => ({ ...f, path: `body.${map.paths?.[f.path] ?? inputOf(f.path)}` }));
  const byRule = (map.rules?.[refusal.rule] ?? []).map((name) => ({ path: `body.${name}`, message: refusal.message }));
  return { ...posted.state, refusal: { ...refusal, fields: [...named, ...byRule] } };
};

/** `body.name` → `name`; `path.unitId` → `unitId`. */
const inputOf = (path: string) => path.replace(/^(body|path)\./, '');

/** What was typed into `form`'s input `name`, when that form is the one drawn again. */
export const typedIn = (posted: Posted, form: string, name: string): string | undefined =>
  posted.form === form ? posted.values[name] : undefined;

/** A whole number typed in a form: the number, or the text as typed so the API names the field; blank is absent. */
export const countOf = (values: Readonly<Record<string, string>>, name: string): number | string | undefined => {
  const v = values[name]?.trim();
  if (v === undefined || v === '') return undefined;
  return /^-?\d{1,9}$/.test(v) ? Number(v) : v;
};

/** An object of the fields given, or undefined when every one is blank (so an optional group is left out). */
export const groupOf = <T extends Record<string, unknown>>(fields: T): Partial<T> | undefined => {
  const present = Object.entries(fields).filter(([, v]) => v !== undefined);
  return present.length === 0 ? undefined : (Object.fromEntries(present) as Partial<T>);
};
