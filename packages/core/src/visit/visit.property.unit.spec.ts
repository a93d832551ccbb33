// Random visit commands by random actors, run through command handling on the in-memory store (with the
// personal data sealed) and compared, step by step, with a small reference model written independently
// of the decider (its own unit tree and role table, no DirectoryView). Whatever the sequence: one
// VisitRecorded at most, nothing after cancellation, the folded state equals the model, the hash chain
// verifies, and no stored event holds the household's address, name, notes or position in the clear.

import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { directoryViewOf } from '../directory/static-view.js';
import type { UnitInfo } from '../directory/view.js';
import type { Actor } from '../envelope.js';
import { commandHandler } from '../handling/command-handler.js';
import type { DecisionContext } from '../handling/decision-context.js';
import { verifyStream } from '../integrity/hash-chain.js';
import { createCorePersonalDataSealer } from '../personal-data.js';
import { getInMemorySubjectKeyStore } from '../privacy/key-store.js';
import { getInMemoryEventStore } from '../store/in-memory.js';
import { type VisitCommand, visitStreamIdOf } from './commands.js';
import { type VisitState, visitDecider } from './decider.js';
import { visitEventRegistry, visitStreamId } from './events.js';

const parentOf: Record<string, string | null> = {
  D: null,
  S1: 'D',
  C1: 'S1',
  C2: 'S1',
  G1: 'C1',
  DEP: 'D',
  HD: null,
  DEPHD: 'HD',
};
const kindOf = (u: string): UnitInfo['kind'] =>
  u === 'D' || u === 'HD'
    ? 'district'
    : u.startsWith('DEP')
      ? 'department'
      : u.startsWith('S')
        ? 'street'
        : u.startsWith('C')
          ? 'community'
          : 'grid';
const holdings: Record<string, [string, string]> = {
  secC1: ['secretary', 'C1'],
  secS1: ['secretary', 'S1'],
  secC2: ['secretary', 'C2'],
  gw: ['grid_worker', 'G1'],
  member: ['member', 'C1'],
  chu: ['department_handler', 'DEP'],
  chuHD: ['department_handler', 'DEPHD'],
  office: ['office', 'D'],
  R1: ['resident', 'G1'],
};
const actors: Actor[] = [
  ...Object.entries(holdings).map(([personId, [role]]) => ({ personId, role: role as Actor['role'] })),
  { personId: 'member', role: 'secretary' },
  { personId: 'gw', role: 'member' },
];
const context: DecisionContext = {
  directory: directoryViewOf({
    units: Object.keys(parentOf).map((unitId) => ({
      unitId,
      name: unitId,
      kind: kindOf(unitId),
      parentId: parentOf[unitId] ?? null,
    })),
    holdings: Object.entries(holdings).map(([personId, [role, unitId]]) => ({
      personId,
      role: role as 'secretary',
      unitId,
      since: '2024-01-01',
    })),
  }),
  wishClaims: { openClaimsOf: () => 0, limit: 3 },
};

const visitId = 'V-1';
const address = '某路 1 号 101';
const name = '王某某';
const notes = '独居老人，腿脚不便';
const position = '36.066500,120.318000';
const today = '2025-06-12';

const recordArb = fc.record({
  type: fc.constant('recordVisit' as const),
  unitId: fc.constantFrom(...Object.keys(parentOf), 'nowhere'),
  date: fc.constantFrom('2025-06-01', today, '2025-06-13'),
  kind: fc.constantFrom('door_to_door', 'grid_five_questions', 'official_grid_day'),
  topics: fc.option(fc.subarray(['production', 'environment', 'culture', 'suggestions', 'living'] as const), {
    nil: undefined,
  }),
  checkIn: fc.boolean(),
  registered: fc.constantFrom(undefined, '36.066100,120.318000', '36.090000,120.318000'),
});
const cancelArb = fc.record({ type: fc.constant('cancelVisit' as const) });
type Draft = typeof recordArb extends fc.Arbitrary<infer R> ? R | { type: 'cancelVisit' } : never;
const stepArb = fc.record({
  draft: fc.oneof(recordArb, cancelArb) as fc.Arbitrary<Draft>,
  actor: fc.oneof(fc.constantFrom<Actor | 'visitor'>('visitor'), fc.constantFrom<Actor | 'visitor'>(...actors)),
});

const toCommand = (draft: Draft, actor: Actor): VisitCommand => {
  const metadata = { actor, now: `${today}T15:00:00+08:00` };
  if (draft.type === 'cancelVisit') return { type: 'cancelVisit', data: { visitId, reason: '记错' }, metadata };
  return {
    type: 'recordVisit',
    data: {
      visitId,
      unitId: draft.unitId,
      date: draft.date,
      kind: draft.kind,
      household: { address, name, ...(draft.registered === undefined ? {} : { registeredLocation: draft.registered }) },
      notes,
      ...(draft.topics === undefined ? {} : { topics: [...draft.topics] }),
      ...(draft.checkIn ? { checkIn: { position } } : {}),
    },
    metadata,
  };
};

// ── The reference model ────────────────────────────────────────────────────────────────────────────
interface Model {
  readonly status: 'none' | 'recorded' | 'cancelled';
  readonly unitId: string | null;
  readonly visitorId: string | null;
}
const emptyModel: Model = { status: 'none', unitId: null, visitorId: null };
const lineage = (u: string): string[] => {
  const out: string[] = [];
  for (let x: string | null | undefined = u; x !== null && x !== undefined; x = parentOf[x]) out.push(x);
  return out;
};
const visitorRoles = ['grid_worker', 'member', 'secretary', 'department_handler', 'office'];

const expected = (m: Model, c: VisitCommand): Model | null => {
  const { actor } = c.metadata;
  if (m.status === 'cancelled') return null;
  if (c.type === 'cancelVisit') {
    if (m.status === 'none' || m.unitId === null) return null;
    const h = holdings[actor.personId];
    const secretaryOver = actor.role === 'secretary' && h?.[0] === 'secretary' && lineage(m.unitId).includes(h[1]);
    return actor.personId === m.visitorId || secretaryOver ? { ...m, status: 'cancelled' } : null;
  }
  const d = c.data;
  if (m.status !== 'none' || parentOf[d.unitId] === undefined) return null;
  if (!visitorRoles.includes(actor.role)) return null;
  const h = holdings[actor.personId];
  if (h === undefined || h[0] !== actor.role) return null;
  const within =
    lineage(d.unitId).includes(h[1]) || (h[1].startsWith('DEP') && lineage(d.unitId).includes(parentOf[h[1]] ?? ''));
  if (!within) return null;
  if (d.kind === 'official_grid_day' && !['secretary', 'department_handler', 'office'].includes(actor.role))
    return null;
  if (d.date > today) return null;
  const topics = d.topics ?? [];
  if ((d.kind === 'grid_five_questions') !== topics.length > 0) return null;
  return { status: 'recorded', unitId: d.unitId, visitorId: actor.personId };
};
const projection = (s: VisitState) =>
  s.status === 'none' ? { status: 'none' } : { status: s.status, unitId: s.unitId, visitorId: s.visitorId };
const modelProjection = (m: Model) =>
  m.status === 'none' ? { status: 'none' } : { status: m.status, unitId: m.unitId, visitorId: m.visitorId };

describe('visit lifecycle against a reference model', () => {
  it('random commands by random actors keep every invariant, and the household stays sealed', async () => {
    const streamId = visitStreamId(visitId);
    const reached = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 12 }), async (steps) => {
        const store = getInMemoryEventStore({ clock: () => new Date('2025-06-12T07:00:00Z') });
        let nextId = 0;
        const handle = commandHandler({
          personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
          store,
          decider: visitDecider,
          registry: visitEventRegistry,
          streamIdOf: visitStreamIdOf,
          context: async () => context,
          newId: () => `id-${nextId++}`,
        });
        let model = emptyModel;
        for (const step of steps) {
          const actor =
            step.actor === 'visitor'
              ? model.visitorId === null
                ? { personId: 'gw', role: 'grid_worker' as const }
                : {
                    personId: model.visitorId,
                    role: (holdings[model.visitorId]?.[0] ?? 'grid_worker') as Actor['role'],
                  }
              : step.actor;
          const command = toCommand(step.draft, actor);
          const want = expected(model, command);
          const before = (await store.readStream(streamId)).length;
          const result = await handle(command);
          expect(E.isRight(result), `${command.type} by ${actor.personId} as ${actor.role}`).toBe(want !== null);
          const stored = await store.readStream(streamId);
          if (want === null) expect(stored.length).toBe(before);
          else model = want;
          reached.add(model.status);
          const raw = JSON.stringify(stored.map((s) => s.data));
          for (const secret of [address, name, notes, position]) expect(raw).not.toContain(secret);
          const events = stored.map((s) => {
            const decoded = visitEventRegistry.decode(s);
            if (E.isLeft(decoded)) throw new Error(decoded.left.message);
            return decoded.right;
          });
          expect(events.filter((e) => e.type === 'VisitRecorded').length).toBeLessThanOrEqual(1);
          const cancelAt = events.findIndex((e) => e.type === 'VisitCancelled');
          if (cancelAt >= 0) expect(cancelAt).toBe(events.length - 1);
          expect(projection(events.reduce(visitDecider.evolve, visitDecider.initialState))).toEqual(
            modelProjection(model),
          );
          expect(verifyStream(streamId, stored)).toMatchObject({ ok: true });
        }
      }),
      { numRuns: 400 },
    );
    expect([...reached].sort()).toEqual(['cancelled', 'none', 'recorded']);
  });
});
