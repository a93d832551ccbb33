// What the office's command line does (main.ts parses the arguments): list the data subjects a person or
// an item has and whether their keys are held, forget a subject on a legal ground, and reveal an item's
// personal fields for a stated purpose. Each returns lines to print, or a refusal with its rule.
import {
  type Actor,
  createDirectoryContextLoader,
  type DomainError,
  type EventStore,
  ForgettingBasis,
  forgetSubject,
  isForgottenPlaceholder,
  isSealedValue,
  type PersonalDataSealer,
  personalDataMarkers,
  RevealPurposeCode,
  type Role,
  readWholeLogEvents,
  roles,
  type SubjectKeyStore,
  validationError,
} from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';

export interface OfficeDeps {
  readonly store: EventStore;
  readonly keys: SubjectKeyStore;
  readonly sealer: PersonalDataSealer;
  readonly clock?: () => Date;
}

export type Outcome = E.Either<DomainError, { readonly lines: readonly string[]; readonly json: unknown }>;

/** Each sealed value of a payload: its path and subject. */
const sealedIn = (data: unknown): { path: string; subject: string }[] => {
  const out: { path: string; subject: string }[] = [];
  const walk = (v: unknown, path: string) => {
    if (isSealedValue(v)) out.push({ path, subject: v.subject });
    else if (Array.isArray(v)) for (const [i, item] of v.entries()) walk(item, `${path}[${i}]`);
    else if (typeof v === 'object' && v !== null)
      for (const [k, item] of Object.entries(v)) walk(item, path === '' ? k : `${path}.${k}`);
  };
  walk(data, '');
  return out;
};

const valueAt = (data: unknown, path: string): unknown =>
  path
    .split(/\.|(?=\[)/)
    .reduce<unknown>(
      (v, key) =>
        v === null || typeof v !== 'object'
          ? undefined
          : key.startsWith('[')
            ? (v as unknown[])[Number(key.slice(1, -1))]
            : (v as Record<string, unknown>)[key],
      data,
    );

/** The subjects of a person (`person:<id>`) or of one item's stream, with where their data is and their key's state. */
export const listSubjects = async (
  deps: OfficeDeps,
  query: { readonly person?: string; readonly stream?: string },
): Promise<Outcome> => {
  if ((query.person === undefined) === (query.stream === undefined))
    return E.left(
      validationError('office.subjects.query', 'give one of --person or --stream', { fields: ['person', 'stream'] }),
    );
  const log = await readWholeLogEvents(deps.store);
  const streamsOf = new Map<string, Set<string>>();
  for (const event of log)
    for (const { subject } of sealedIn(event.data))
      streamsOf.set(subject, (streamsOf.get(subject) ?? new Set()).add(event.streamId));
  const wanted =
    query.person !== undefined
      ? [`person:${query.person}`]
      : [...streamsOf].filter(([, streams]) => streams.has(query.stream!)).map(([s]) => s);
  const states = await deps.keys.lookup(wanted);
  const rows = wanted.map((subject) => {
    const state = states.get(subject);
    return {
      subject,
      key: state === undefined ? 'none' : state.state === 'active' ? 'held' : `destroyed ${state.forgottenAt}`,
      streams: [...(streamsOf.get(subject) ?? [])].sort(),
    };
  });
  return E.right({
    lines: rows.flatMap((r) => [
      `${r.subject}  key ${r.key}  in ${r.streams.length} streams`,
      ...r.streams.map((s) => `  ${s}`),
    ]),
    json: rows,
  });
};

export const forgetting = async (
  deps: OfficeDeps,
  args: { readonly subject: string; readonly basis: string; readonly reference: string; readonly actor: Actor },
): Promise<Outcome> => {
  if (!ForgettingBasis.is(args.basis))
    return E.left(
      validationError('office.forget.basis', `basis: expected one of ${Object.keys(ForgettingBasis.keys).join(', ')}`, {
        fields: ['basis'],
      }),
    );
  const now = (deps.clock ?? (() => new Date()))().toISOString();
  const done = await forgetSubject(
    {
      store: deps.store,
      keys: deps.keys,
      context: createDirectoryContextLoader(deps.store),
      ...(deps.clock ? { clock: deps.clock } : {}),
    },
    {
      type: 'forgetSubject',
      data: { subject: args.subject, basis: args.basis, reference: args.reference },
      metadata: { actor: args.actor, now },
    },
    { idempotencyKey: `forget/${args.subject}/${args.reference}` },
  );
  if (E.isLeft(done)) return done;
  const event = done.right.recorded?.events[0];
  return E.right({
    lines: [
      `forgotten: ${args.subject} (${args.basis}, case ${args.reference})`,
      `recorded as SubjectForgotten ${event?.eventId ?? ''} in forgotten-${args.subject}, by ${event?.actor.personId ?? args.actor.personId} at ${event?.occurredAt ?? now}`,
      `key: ${done.right.key.replaceAll('_', ' ')}`,
    ],
    json: { subject: args.subject, eventId: event?.eventId, at: event?.occurredAt ?? now, key: done.right.key },
  });
};

export const revealing = async (
  deps: OfficeDeps,
  args: { readonly stream: string; readonly purpose: string; readonly statement: string; readonly actor: Actor },
): Promise<Outcome> => {
  if (!RevealPurposeCode.is(args.purpose))
    return E.left(
      validationError(
        'office.reveal.purpose',
        `purpose: expected one of ${Object.keys(RevealPurposeCode.keys).join(', ')}`,
        {
          fields: ['purpose'],
        },
      ),
    );
  const stream = await deps.store.readStream(args.stream);
  const revealed = await deps.sealer.reveal(stream, {
    code: args.purpose,
    statement: args.statement,
    actor: args.actor,
  });
  if (E.isLeft(revealed)) return revealed;
  const fields = stream.flatMap((event, i) =>
    sealedIn(event.data).map(({ path, subject }) => {
      const value = valueAt(revealed.right[i]!.data, path);
      return {
        revision: event.revision,
        type: event.type,
        path,
        subject,
        value: isForgottenPlaceholder(value) ? personalDataMarkers.forgotten : value,
      };
    }),
  );
  const subjects = [...new Set(fields.map((f) => f.subject))];
  return E.right({
    lines: [
      `${args.stream}: ${fields.length} personal fields, revealed for ${args.purpose} by ${args.actor.personId}`,
      ...fields.map((f) => `  @${f.revision} ${f.type} ${f.path} [${f.subject}] ${String(f.value)}`),
      ...subjects.map((s) => `recorded as PersonalDataRevealed in access-${s}`),
    ],
    json: fields,
  });
};

export const actorOf = (personId: string | undefined, role: string | undefined, unitId: string | undefined) => {
  if (personId === undefined || personId === '')
    return E.left(
      validationError('office.actor', '--as: say who acts (a person id of the directory)', { fields: ['as'] }),
    );
  const r = (role ?? 'office') as Role;
  if (!roles.includes(r))
    return E.left(validationError('office.actor', `--role: expected one of ${roles.join(', ')}`, { fields: ['role'] }));
  return E.right<DomainError, Actor>({ personId, role: r, ...(unitId === undefined ? {} : { unitId }) });
};
