// Sealing, revealing and forgetting on the in-memory store (docs/privacy.md): the chain covers the
// ciphertext, folding needs no key, a ciphertext opens only where it was sealed, a forgotten subject reads
// as the marker, and a key missing without a forgetting is an integrity error.
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeWith } from '../codec/decode.js';
import { directoryViewOf } from '../directory/static-view.js';
import type { Actor, StoredEvent } from '../envelope.js';
import { type CommandHandler, commandHandler } from '../handling/command-handler.js';
import type { DecisionContext } from '../handling/decision-context.js';
import { verifyStream } from '../integrity/hash-chain.js';
import {
  auditForgetting,
  createCorePersonalDataSealer,
  forgetSubject,
  reapplyForgetting,
  recordPersonalDataAccess,
} from '../personal-data.js';
import { type ProblemCommand, problemStreamIdOf, SolicitProblemData } from '../problem/commands.js';
import { type ProblemState, problemDecider } from '../problem/decider.js';
import { problemEventRegistry } from '../problem/events.js';
import { getInMemoryEventStore } from '../store/in-memory.js';
import { getInMemorySubjectKeyStore, privacyRules, type SubjectKeyStore } from './key-store.js';
import { isSealedValue, personalDataMarkers } from './sealed-value.js';
import type { PersonalDataSealer, RevealPurpose } from './sealer.js';

const directory = directoryViewOf({
  units: [
    { unitId: 'jiaozhou', name: '胶州市', kind: 'district', parentId: null },
    { unitId: 'qingnian', name: '青年社区', kind: 'community', parentId: 'jiaozhou' },
  ],
  holdings: [
    { personId: 'sec-wang', role: 'secretary', unitId: 'qingnian', since: '2021-01-01' },
    { personId: 'res-li', role: 'resident', unitId: 'qingnian', since: '2021-01-01' },
    { personId: 'office-zhao', role: 'office', unitId: 'jiaozhou', since: '2021-01-01' },
  ],
});
const context: DecisionContext = { directory, wishClaims: { openClaimsOf: () => 0, limit: 3 } };
const resident: Actor = { personId: 'res-li', role: 'resident' };
const office: Actor = { personId: 'office-zhao', role: 'office', unitId: 'jiaozhou' };
const secretary: Actor = { personId: 'sec-wang', role: 'secretary', unitId: 'qingnian' };
const check: RevealPurpose = { code: 'verification', statement: 'the sealer spec' };

const details = { name: '李秀英', phone: '13800000000', address: '青年社区3号楼2单元' };
const description = '楼道灯坏了一个月，请打13800000000找李秀英';

const setUp = (keys: SubjectKeyStore = getInMemorySubjectKeyStore()) => {
  const store = getInMemoryEventStore({ clock: () => new Date('2021-04-10T00:00:00Z') });
  const sealer = createCorePersonalDataSealer({ keys });
  const handle: CommandHandler<ProblemCommand, ProblemState> = commandHandler({
    store,
    decider: problemDecider,
    registry: problemEventRegistry,
    streamIdOf: problemStreamIdOf,
    context: async () => context,
    personalData: sealer,
    clock: () => new Date('2021-07-01T00:00:00Z'),
  });
  const raise = (problemId: string, raiser: Record<string, unknown>, actor: Actor = resident) =>
    handle({
      type: 'solicitProblem',
      data: {
        problemId,
        unitId: 'qingnian',
        source: 'resident',
        grade: 'small',
        title: '楼道灯不亮',
        description,
        raiser,
      },
      metadata: { actor, now: '2021-04-02T09:00:00+08:00' },
    } as ProblemCommand);
  return { store, keys, sealer, handle, raise };
};

const unwrap = <A>(either: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(either)) throw new Error(either.left.message);
  return either.right;
};

describe('sealing personal fields', () => {
  it('stores ciphertext only, at the sealed version, and the chain verifies without a key', async () => {
    const { store, raise } = setUp();
    unwrap(await raise('p1', { kind: 'resident', personId: 'res-li', ...details }));
    const [stored] = await store.readStream('problem-p1');
    const text = JSON.stringify(stored!.data);
    for (const value of [...Object.values(details), description]) expect(text).not.toContain(value);
    expect(stored!.schemaVersion).toBe(2);
    const data = stored!.data as { raiser: Record<string, unknown>; description: unknown; title: string };
    expect(data.title).toBe('楼道灯不亮');
    expect(data.raiser.personId).toBe('res-li');
    expect(isSealedValue(data.raiser.name) && data.raiser.name.subject).toBe('person:res-li');
    expect(isSealedValue(data.description)).toBe(true);
    expect(verifyStream('problem-p1', await store.readStream('problem-p1')).ok).toBe(true);
  });

  it('decodes sealed fields as the sealed marker, and reveals them for a stated purpose', async () => {
    const { store, sealer, raise } = setUp();
    unwrap(await raise('p1', { kind: 'resident', personId: 'res-li', ...details }));
    const stream = await store.readStream('problem-p1');
    const folded = unwrap(problemEventRegistry.decode(stream[0]!));
    expect(folded.data).toMatchObject({
      description: personalDataMarkers.sealed,
      raiser: { name: personalDataMarkers.sealed },
    });
    const revealed = unwrap(await sealer.reveal(stream, check));
    expect(unwrap(problemEventRegistry.decode(revealed[0]!)).data).toMatchObject({ description, raiser: details });
  });

  it('seals an Open311 raiser’s email and location like the other fields, and reveals them as they were', async () => {
    const { store, sealer, raise } = setUp();
    const open311 = { email: 'li@example.cn', location: '36.270100,120.033300' };
    unwrap(await raise('p3', { kind: 'resident', ...details, ...open311 }, office));
    const stream = await store.readStream('problem-p3');
    const raiser = (stream[0]!.data as { raiser: Record<string, unknown> }).raiser;
    expect(isSealedValue(raiser.email) && isSealedValue(raiser.location)).toBe(true);
    expect(JSON.stringify(stream[0]!.data)).not.toContain('li@example.cn');
    expect(JSON.stringify(stream[0]!.data)).not.toContain('36.2701');
    const raiserOf = (event: StoredEvent) =>
      (unwrap(problemEventRegistry.decode(event)).data as { raiser?: unknown }).raiser;
    expect(raiserOf(stream[0]!)).toMatchObject({
      email: personalDataMarkers.sealed,
      location: personalDataMarkers.sealed,
    });
    const revealed = unwrap(await sealer.reveal(stream, check));
    expect(raiserOf(revealed[0]!)).toMatchObject(open311);
  });

  it('gives an unregistered raiser a subject of their own problem', async () => {
    const { store, raise } = setUp();
    unwrap(await raise('p2', { kind: 'resident', ...details }, office));
    const [stored] = await store.readStream('problem-p2');
    const name = (stored!.data as { raiser: { name: unknown } }).raiser.name;
    expect(isSealedValue(name) && name.subject).toBe('problem-p2#raiser');
  });

  it('reports to onReveal before decrypting, and reveals nothing when it fails', async () => {
    const keys = getInMemorySubjectKeyStore();
    const { store, raise } = setUp(keys);
    unwrap(await raise('p1', { kind: 'resident', personId: 'res-li', ...details }));
    const stream = await store.readStream('problem-p1');
    const seen: unknown[] = [];
    const recording = createCorePersonalDataSealer({ keys, onReveal: async (access) => void seen.push(access) });
    unwrap(await recording.reveal(stream, { ...check, actor: secretary }));
    expect(seen).toEqual([
      {
        purpose: { ...check, actor: secretary },
        subjects: ['person:res-li'],
        events: [{ streamId: 'problem-p1', revision: 0, eventId: stream[0]!.eventId, subjects: ['person:res-li'] }],
      },
    ]);
    const refusing = createCorePersonalDataSealer({
      keys,
      onReveal: async () => {
        throw new Error('the access log is down');
      },
    });
    await expect(refusing.reveal(stream, check)).rejects.toThrow('the access log is down');
  });

  it('records each reveal in the log before decrypting: who, when, why (sealed), which events', async () => {
    const deps = setUp();
    unwrap(await deps.raise('p1', { kind: 'resident', personId: 'res-li', ...details }));
    const stream = await deps.store.readStream('problem-p1');
    const recording: PersonalDataSealer = createCorePersonalDataSealer({
      keys: deps.keys,
      onReveal: recordPersonalDataAccess({
        store: deps.store,
        sealer: () => recording,
        clock: () => new Date('2021-04-03T02:00:00Z'),
      }),
    });
    const statement = '回访: 李秀英说灯还是不亮';
    unwrap(await recording.reveal(stream, { code: 'contact_resident', statement, actor: secretary }));
    const [record] = await deps.store.readStream('access-person:res-li');
    expect(record).toMatchObject({
      type: 'PersonalDataRevealed',
      schemaVersion: 2,
      actor: secretary,
      occurredAt: '2021-04-03T02:00:00.000Z',
      data: {
        subject: 'person:res-li',
        purpose: 'contact_resident',
        events: [{ streamId: 'problem-p1', revision: 0 }],
      },
    });
    // The reader's words may name the person: sealed under their key, and shredded with it.
    expect(JSON.stringify(record!.data)).not.toContain('李秀英');
    const [opened] = unwrap(await recording.reveal([record!], check));
    expect((opened!.data as { statement: string }).statement).toBe(statement);
    expect(verifyStream('access-person:res-li', await deps.store.readStream('access-person:res-li')).ok).toBe(true);
  });

  it('refuses to reveal without a purpose, naming the field', async () => {
    const { store, sealer, raise } = setUp();
    unwrap(await raise('p1', { kind: 'resident', personId: 'res-li', ...details }));
    const stream = await store.readStream('problem-p1');
    const refused = await sealer.reveal(stream, { code: 'verification', statement: '  ' });
    expect(E.isLeft(refused) && refused.left).toMatchObject({
      code: 'validation',
      rule: privacyRules.noPurpose,
      details: { fields: ['purpose'] },
    });
  });
});

describe('the markers are not values', () => {
  it('refuses a marker typed into a personal field of a command, naming the field', () => {
    for (const marker of Object.values(personalDataMarkers)) {
      const decoded = decodeWith(SolicitProblemData)({
        problemId: 'p1',
        unitId: 'qingnian',
        source: 'resident',
        grade: 'small',
        title: '楼道灯不亮',
        raiser: { kind: 'resident', name: marker },
      });
      expect(E.isLeft(decoded) && decoded.left.details).toMatchObject({
        fields: [expect.objectContaining({ path: 'body.raiser.name' })],
      });
    }
  });
});

describe('a sealed value opens only where it was sealed', () => {
  const copyInto = (from: StoredEvent, to: StoredEvent, fromPath: string, toPath: string): StoredEvent => {
    const get = (data: unknown, path: string) =>
      path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], data);
    const target = structuredClone(to.data) as Record<string, unknown>;
    const keys = toPath.split('.');
    const last = keys.pop()!;
    const parent = keys.reduce<Record<string, unknown>>((v, k) => v[k] as Record<string, unknown>, target);
    parent[last] = structuredClone(get(from.data, fromPath));
    return { ...to, data: target };
  };

  it('refuses a ciphertext copied into another event of the same person, naming stream, revision and field', async () => {
    const { store, sealer, raise } = setUp();
    unwrap(await raise('p1', { kind: 'resident', personId: 'res-li', ...details }));
    unwrap(await raise('p2', { kind: 'resident', personId: 'res-li', name: '李秀英', phone: '13999999999' }));
    const [one] = await store.readStream('problem-p1');
    const [two] = await store.readStream('problem-p2');
    const moved = copyInto(one!, two!, 'raiser.phone', 'raiser.phone');
    const refused = await sealer.reveal([moved], check);
    expect(E.isLeft(refused) && refused.left).toMatchObject({
      code: 'integrity',
      rule: privacyRules.ciphertextRejected,
      details: { streamId: 'problem-p2', revision: 0, path: 'raiser.phone' },
    });
    expect(E.isLeft(refused) && refused.left.message).toContain('problem-p2@0');
  });

  it('refuses a ciphertext moved to another field of its own event', async () => {
    const { store, sealer, raise } = setUp();
    unwrap(await raise('p1', { kind: 'resident', personId: 'res-li', ...details }));
    const [one] = await store.readStream('problem-p1');
    const swapped = copyInto(one!, one!, 'raiser.phone', 'raiser.address');
    const refused = await sealer.reveal([swapped], check);
    expect(E.isLeft(refused) && refused.left).toMatchObject({
      rule: privacyRules.ciphertextRejected,
      details: { path: 'raiser.address' },
    });
  });

  it('refuses a flipped byte of the ciphertext', async () => {
    const { store, sealer, raise } = setUp();
    unwrap(await raise('p1', { kind: 'resident', personId: 'res-li', ...details }));
    const [one] = await store.readStream('problem-p1');
    const data = structuredClone(one!.data) as { raiser: { name: { ciphertext: string } } };
    const bytes = atob(data.raiser.name.ciphertext);
    data.raiser.name.ciphertext = btoa(
      bytes.slice(0, 30) + String.fromCharCode(bytes.charCodeAt(30) ^ 1) + bytes.slice(31),
    );
    const refused = await sealer.reveal([{ ...one!, data }], check);
    expect(E.isLeft(refused) && refused.left.rule).toBe(privacyRules.ciphertextRejected);
  });
});

describe('stored versions and their form', () => {
  it('refuses personal fields in the clear at the sealed version, and sealed values at the clear one', async () => {
    const { store, raise } = setUp();
    unwrap(await raise('p1', { kind: 'resident', personId: 'res-li', ...details }));
    const [sealed] = await store.readStream('problem-p1');
    const clear = {
      ...sealed!,
      data: { ...(sealed!.data as object), description: 'in the clear', raiser: { kind: 'resident', ...details } },
    };
    const refused = problemEventRegistry.decode(clear);
    expect(E.isLeft(refused) && refused.left).toMatchObject({ code: 'integrity' });
    expect(E.isLeft(refused) && refused.left.details).toMatchObject({
      rule: privacyRules.clearAtSealedVersion,
      fields: ['data.description', 'data.raiser.name', 'data.raiser.phone', 'data.raiser.address'],
    });
    const relabelled = problemEventRegistry.decode({ ...sealed!, schemaVersion: 1 });
    expect(E.isLeft(relabelled) && relabelled.left.details).toMatchObject({ rule: privacyRules.sealedAtClearVersion });
  });

  it('reads events written in the clear before sealing (version 1) as they are', () => {
    const encoded = problemEventRegistry.encode({
      type: 'ProblemSolicited',
      data: {
        problemId: 'old',
        unitId: 'qingnian',
        source: 'resident',
        grade: 'small',
        title: '旧事',
        solicitedAt: '2021-04-02T09:00:00+08:00',
        raiser: { kind: 'resident', ...details },
      },
    });
    expect(encoded.schemaVersion).toBe(1);
    const read = problemEventRegistry.decode({
      ...encoded,
      streamId: 'problem-old',
      revision: 0,
      occurredAt: '2021-04-02T09:00:00+08:00',
      actor: resident,
    });
    expect(E.isRight(read) && read.right.data).toMatchObject({ raiser: details });
  });
});

describe('forgetting a data subject', () => {
  const forget = (deps: ReturnType<typeof setUp>, subject: string, actor: Actor = office) =>
    forgetSubject(
      {
        store: deps.store,
        keys: deps.keys,
        context: async () => context,
        clock: () => new Date('2021-06-01T00:00:00Z'),
      },
      {
        type: 'forgetSubject',
        data: { subject, basis: 'consent_withdrawn', reference: 'PIPL-2021-0007' },
        metadata: { actor, now: '2021-06-01T08:00:00+08:00' },
      },
    );

  it('records who, when and why without personal data, then reads the fields as forgotten', async () => {
    const deps = setUp();
    unwrap(await deps.raise('p1', { kind: 'resident', personId: 'res-li', ...details }));
    const result = unwrap(await forget(deps, 'person:res-li'));
    expect(result.key).toBe('destroyed');
    const [record] = await deps.store.readStream('forgotten-person:res-li');
    expect(record).toMatchObject({
      type: 'SubjectForgotten',
      actor: office,
      occurredAt: '2021-06-01T08:00:00+08:00',
      data: { subject: 'person:res-li', basis: 'consent_withdrawn', reference: 'PIPL-2021-0007' },
    });
    const stream = await deps.store.readStream('problem-p1');
    const revealed = unwrap(await deps.sealer.reveal(stream, check));
    expect(unwrap(problemEventRegistry.decode(revealed[0]!)).data).toMatchObject({
      title: '楼道灯不亮',
      description: personalDataMarkers.forgotten,
      raiser: { personId: 'res-li', name: personalDataMarkers.forgotten, phone: personalDataMarkers.forgotten },
    });
    expect(verifyStream('problem-p1', stream).ok).toBe(true);
  });

  it('leaves the lifecycle working: the secretary still claims and solves the problem', async () => {
    const deps = setUp();
    unwrap(await deps.raise('p1', { kind: 'resident', personId: 'res-li', ...details }));
    unwrap(await forget(deps, 'person:res-li'));
    const claimed = await deps.handle({
      type: 'claimProblem',
      data: { problemId: 'p1', plan: '联系物业更换灯具', promisedBy: '2021-06-05' },
      metadata: { actor: secretary, now: '2021-06-02T09:00:00+08:00' },
    });
    expect(E.isRight(claimed) && claimed.right.state).toMatchObject({ status: 'claimed' });
  });

  it('refuses new personal data about a forgotten person, and stores nothing', async () => {
    const deps = setUp();
    unwrap(await forget(deps, 'person:res-li'));
    const refused = await deps.raise('p9', { kind: 'resident', personId: 'res-li', ...details });
    expect(E.isLeft(refused) && refused.left).toMatchObject({
      code: 'invalid_state',
      rule: privacyRules.subjectForgotten,
    });
    expect(await deps.store.readStream('problem-p9')).toEqual([]);
  });

  it('is the office’s act only, and happens once', async () => {
    const deps = setUp();
    const byResident = await forget(deps, 'person:res-li', resident);
    expect(E.isLeft(byResident) && byResident.left).toMatchObject({ code: 'forbidden', rule: 'forgetting.not_office' });
    expect((await deps.keys.lookup(['person:res-li'])).size).toBe(0);
    unwrap(await forget(deps, 'person:res-li'));
    const again = await forget(deps, 'person:res-li');
    expect(E.isLeft(again) && again.left.rule).toBe('forgetting.already_forgotten');
  });

  it('is re-applied from the log to a key store restored from an older backup', async () => {
    const deps = setUp();
    unwrap(await deps.raise('p1', { kind: 'resident', personId: 'res-li', ...details }));
    const backup = (await deps.keys.lookup(['person:res-li'])).get('person:res-li');
    if (backup?.state !== 'active') throw new Error('the key was made when the problem was raised');
    const savedKey = Uint8Array.from(backup.key);
    unwrap(await forget(deps, 'person:res-li'));
    // The restored store still holds the key the backup was taken with.
    const restored = getInMemorySubjectKeyStore({ newKey: () => Uint8Array.from(savedKey) });
    await restored.keyFor('person:res-li');
    const sealer = createCorePersonalDataSealer({ keys: restored });
    const before = unwrap(await sealer.reveal(await deps.store.readStream('problem-p1'), check));
    expect(JSON.stringify(before[0]!.data)).toContain('李秀英');
    expect(await reapplyForgetting({ store: deps.store, keys: restored })).toEqual(['person:res-li']);
    const after = unwrap(await sealer.reveal(await deps.store.readStream('problem-p1'), check));
    expect(JSON.stringify(after[0]!.data)).not.toContain('李秀英');
  });

  it('holds the key store to the log: a key destroyed without a record, and a record not carried out, are found', async () => {
    const deps = setUp();
    unwrap(await deps.raise('p1', { kind: 'resident', personId: 'res-li', ...details }));
    unwrap(await deps.raise('p2', { kind: 'resident', ...details }, office));
    unwrap(await forget(deps, 'person:res-li'));
    expect(await auditForgetting(deps)).toEqual({ unrecorded: [], notCarriedOut: [], recorded: 1 });
    // Someone with access to the key store shreds the unregistered raiser of p2 without any record.
    await deps.keys.destroy('problem-p2#raiser', '2021-06-03T00:00:00.000Z');
    // And a key store restored from a backup holds res-li's key again.
    const restored = getInMemorySubjectKeyStore();
    await restored.keyFor('person:res-li');
    expect(await auditForgetting(deps)).toEqual({
      unrecorded: [{ subject: 'problem-p2#raiser', forgottenAt: '2021-06-03T00:00:00.000Z' }],
      notCarriedOut: [],
      recorded: 1,
    });
    expect(await auditForgetting({ store: deps.store, keys: restored })).toEqual({
      unrecorded: [],
      notCarriedOut: [{ subject: 'person:res-li', streamId: 'forgotten-person:res-li', revision: 0 }],
      recorded: 1,
    });
  });

  it('reports a key missing for a subject never forgotten as an integrity error, never a blank', async () => {
    const deps = setUp();
    unwrap(await deps.raise('p1', { kind: 'resident', personId: 'res-li', ...details }));
    const lost = createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() });
    const refused = await lost.reveal(await deps.store.readStream('problem-p1'), check);
    expect(E.isLeft(refused) && refused.left).toMatchObject({
      code: 'integrity',
      rule: privacyRules.keyMissing,
      details: { subject: 'person:res-li', streamId: 'problem-p1', revision: 0 },
    });
  });
});
