// Random command sequences by random actors, run through pairing command handling (sealing, and revealing
// the household for 探亲) on the in-memory store and compared, step by step, with a small reference model
// written independently of the decider (its own unit tree and role table, its own distance check). Whatever
// the sequence: only the current official visits, a far check-in is recorded rather than refused, nothing
// after 结束, the folded state equals the model, no event stores a distance, and the hash chain verifies.

import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { directoryViewOf } from '../directory/static-view.js';
import type { Actor } from '../envelope.js';
import type { DecisionContext } from '../handling/decision-context.js';
import { verifyStream } from '../integrity/hash-chain.js';
import { createCorePersonalDataSealer } from '../personal-data.js';
import { getInMemorySubjectKeyStore } from '../privacy/key-store.js';
import { getInMemoryEventStore } from '../store/in-memory.js';
import type { PairingCommand } from './commands.js';
import { evolvePairing, initialPairingState, type PairingState } from './decider.js';
import { type PairingEvent, pairingEventRegistry, pairingStreamId } from './events.js';
import { pairingCommandHandler } from './handler.js';

// ── The world ──────────────────────────────────────────────────────────────────────────────────────
const parentOf: Record<string, string | null> = { D: null, S1: 'D', C1: 'S1', C2: 'S1', HD: null };
const unitIds = Object.keys(parentOf);
/** personId → [role, unit] */
const holdings: Record<string, [string, string]> = {
  office: ['office', 'D'],
  officeHD: ['office', 'HD'],
  secS1: ['secretary', 'S1'],
  secC2: ['secretary', 'C2'],
  off1: ['member', 'C1'],
  off2: ['member', 'S1'],
  off3: ['department_handler', 'D'],
};
const actors: Actor[] = [
  ...Object.entries(holdings).map(([personId, [role]]) => ({ personId, role: role as Actor['role'] })),
  { personId: 'off1', role: 'office' },
  { personId: 'stranger', role: 'resident' },
];
const officialIds = ['off1', 'off2', 'off3', 'ghost'];

const context: DecisionContext = {
  directory: directoryViewOf({
    units: unitIds.map((unitId) => ({
      unitId,
      name: unitId,
      kind: unitId === 'D' || unitId === 'HD' ? 'district' : unitId.startsWith('S') ? 'street' : 'community',
      parentId: parentOf[unitId] ?? null,
    })),
    holdings: Object.entries(holdings).map(([personId, [role, unitId]]) => ({
      personId,
      role: role as 'member',
      unitId,
      since: '2024-01-01',
    })),
  }),
  wishClaims: { openClaimsOf: () => 0, limit: 3 },
};

const lineage = (unitId: string): string[] => {
  const out: string[] = [];
  for (let u: string | null | undefined = unitId; u !== null && u !== undefined; u = parentOf[u]) out.push(u);
  return out;
};
const organiser = (actor: Actor, unitId: string) => {
  const h = holdings[actor.personId];
  return (
    h !== undefined &&
    (actor.role === 'office' || actor.role === 'secretary') &&
    h[0] === actor.role &&
    lineage(unitId).includes(h[1])
  );
};

// ── Time and place ───────────────────────────────────────────────────────────────────────────────
const nowOfDay = (day: number): string =>
  `${new Date(Date.UTC(2025, 2, 1 + day)).toISOString().slice(0, 10)}T09:00:00+08:00`;
const home = '36.270100,120.033300';
/** North of home by `meters` (one thousandth of a degree of latitude is about 111 m). */
const northOf = (meters: number) => `${(36.2701 + meters / 111_195).toFixed(6)},120.033300`;

// ── Commands, without metadata ───────────────────────────────────────────────────────────────────
const pairingId = 'PR-1';
type Draft =
  | { type: 'pairHousehold'; unitId: string; officialId: string; location: boolean }
  | { type: 'reassignPairing'; officialId: string }
  | { type: 'endPairing' }
  | { type: 'recordHouseholdConsent'; consent: 'given' | 'withdrawn' }
  | {
      type: 'recordPairingVisit';
      visitId: string;
      offsetDays: number;
      checkInMeters: number | null;
      excerpt: string | null;
    }
  | { type: 'linkPairingNeed'; kind: 'problem' | 'wish'; itemId: string; visitId: string | null };

const draftArb: fc.Arbitrary<Draft> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('pairHousehold' as const),
      unitId: fc.constantFrom(...unitIds, 'nowhere'),
      officialId: fc.constantFrom(...officialIds),
      location: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('reassignPairing' as const),
      officialId: fc.constantFrom(...officialIds),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('endPairing' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('recordHouseholdConsent' as const),
      consent: fc.constantFrom('given' as const, 'withdrawn' as const),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant('recordPairingVisit' as const),
      visitId: fc.constantFrom('V1', 'V2', 'V3', 'V4'),
      offsetDays: fc.constantFrom(0, 0, -1, 1, -30),
      checkInMeters: fc.constantFrom(null, 50, 150, 250, 5000),
      excerpt: fc.constantFrom(null, '大娘说今年冬天不冷了', '电话 13800002222', '王桂兰很好'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('linkPairingNeed' as const),
      kind: fc.constantFrom('problem' as const, 'wish' as const),
      itemId: fc.constantFrom('I1', 'I2'),
      visitId: fc.constantFrom(null, 'V1', 'V2'),
    }),
  },
);

type ActorSpec = Actor | 'official';
const anyone = fc.constantFrom<ActorSpec>(...actors);
const actorFor = (type: Draft['type']): fc.Arbitrary<ActorSpec> =>
  type === 'recordPairingVisit' || type === 'recordHouseholdConsent' || type === 'linkPairingNeed'
    ? fc.oneof({ weight: 3, arbitrary: fc.constant<ActorSpec>('official') }, { weight: 2, arbitrary: anyone })
    : fc.oneof(
        { weight: 2, arbitrary: fc.constant<ActorSpec>({ personId: 'office', role: 'office' }) },
        { weight: 2, arbitrary: anyone },
      );
const stepArb = draftArb.chain((draft) =>
  fc.record({ draft: fc.constant(draft), actor: actorFor(draft.type), advanceDays: fc.integer({ min: 0, max: 2 }) }),
);
// The opening pairing has a registered location or not, so visits reach every check-in result (a household
// without a location gives `unchecked`) in most runs, not only in the few that pair by a random step.
const openingArb = fc.option(
  fc.boolean().map((location) => ({
    draft: { type: 'pairHousehold', unitId: 'C1', officialId: 'off1', location } as Draft,
    actor: { personId: 'office', role: 'office' } as ActorSpec,
    advanceDays: 0,
  })),
  { freq: 6 },
);

// ── The reference model ──────────────────────────────────────────────────────────────────────────
interface Model {
  readonly status: 'none' | 'active' | 'ended';
  readonly unitId: string | null;
  readonly officialId: string | null;
  readonly former: readonly string[];
  readonly consent: 'given' | 'withdrawn';
  readonly visits: readonly string[];
  readonly needs: readonly string[];
  readonly location: boolean;
  readonly pairedDay: number;
  readonly checkIns: readonly ('near' | 'far' | 'unchecked')[];
}
const emptyModel: Model = {
  status: 'none',
  unitId: null,
  officialId: null,
  former: [],
  consent: 'withdrawn',
  visits: [],
  needs: [],
  location: false,
  pairedDay: 0,
  checkIns: [],
};

const resolveActor = (spec: ActorSpec, m: Model): Actor => {
  if (spec !== 'official') return spec;
  const personId = m.officialId ?? 'off1';
  return { personId, role: (holdings[personId]?.[0] ?? 'member') as Actor['role'] };
};

const active = (id: string) => id !== 'ghost';

const expected = (m: Model, d: Draft, actor: Actor, day: number): Model | null => {
  if (d.type === 'pairHousehold') {
    if (m.status !== 'none' || !(d.unitId in parentOf) || !organiser(actor, d.unitId) || !active(d.officialId))
      return null;
    return { ...m, status: 'active', unitId: d.unitId, officialId: d.officialId, location: d.location, pairedDay: day };
  }
  if (m.status !== 'active' || m.unitId === null || m.officialId === null) return null;
  const byOfficialOrOrganiser = actor.personId === m.officialId || organiser(actor, m.unitId);
  switch (d.type) {
    case 'reassignPairing':
      if (!organiser(actor, m.unitId) || d.officialId === m.officialId || !active(d.officialId)) return null;
      return { ...m, officialId: d.officialId, former: [...m.former, m.officialId] };
    case 'endPairing':
      return organiser(actor, m.unitId) ? { ...m, status: 'ended' } : null;
    case 'recordHouseholdConsent':
      return byOfficialOrOrganiser && d.consent !== m.consent ? { ...m, consent: d.consent } : null;
    case 'recordPairingVisit': {
      if (actor.personId !== m.officialId || m.visits.includes(d.visitId)) return null;
      const visitDay = day + d.offsetDays;
      if (visitDay > day || visitDay < m.pairedDay) return null;
      if (d.excerpt !== null && d.excerpt !== '大娘说今年冬天不冷了') return null;
      const checkIns =
        d.checkInMeters === null
          ? m.checkIns
          : [
              ...m.checkIns,
              !m.location ? ('unchecked' as const) : d.checkInMeters <= 200 ? ('near' as const) : ('far' as const),
            ];
      return { ...m, visits: [...m.visits, d.visitId], checkIns };
    }
    case 'linkPairingNeed': {
      const key = `${d.kind}:${d.itemId}`;
      if (!byOfficialOrOrganiser || (d.visitId !== null && !m.visits.includes(d.visitId)) || m.needs.includes(key))
        return null;
      return { ...m, needs: [...m.needs, key] };
    }
  }
};

const toCommand = (d: Draft, actor: Actor, day: number): PairingCommand => {
  const metadata = { actor, now: nowOfDay(day) };
  switch (d.type) {
    case 'pairHousehold':
      return {
        type: 'pairHousehold',
        data: {
          pairingId,
          unitId: d.unitId,
          officialId: d.officialId,
          category: 'veteran',
          household: d.location
            ? { name: '王桂兰', phone: '138-0000-2222', location: home }
            : { name: '王桂兰', phone: '138-0000-2222' },
        },
        metadata,
      };
    case 'reassignPairing':
      return { type: 'reassignPairing', data: { pairingId, officialId: d.officialId }, metadata };
    case 'endPairing':
      return { type: 'endPairing', data: { pairingId }, metadata };
    case 'recordHouseholdConsent':
      return { type: 'recordHouseholdConsent', data: { pairingId, consent: d.consent }, metadata };
    case 'recordPairingVisit':
      return {
        type: 'recordPairingVisit',
        data: {
          pairingId,
          visitId: d.visitId,
          visitedAt: nowOfDay(day + d.offsetDays),
          diary: '王大娘说腿脚不好',
          ...(d.checkInMeters === null ? {} : { checkIn: { position: northOf(d.checkInMeters) } }),
          ...(d.excerpt === null ? {} : { excerpt: d.excerpt }),
        },
        metadata,
      };
    case 'linkPairingNeed':
      return {
        type: 'linkPairingNeed',
        data: { pairingId, kind: d.kind, itemId: d.itemId, ...(d.visitId === null ? {} : { visitId: d.visitId }) },
        metadata,
      };
  }
};

const projection = (s: PairingState) =>
  s.status === 'none'
    ? { status: 'none' }
    : {
        status: s.status,
        unitId: s.unitId,
        officialId: s.officialId,
        former: s.formerOfficialIds,
        consent: s.consent,
        visits: s.visitIds,
        needs: s.needs,
      };
const modelProjection = (m: Model) =>
  m.status === 'none'
    ? { status: 'none' }
    : {
        status: m.status,
        unitId: m.unitId,
        officialId: m.officialId,
        former: m.former,
        consent: m.consent,
        visits: m.visits,
        needs: m.needs,
      };

describe('pairing lifecycle against a reference model', () => {
  it('random commands by random actors keep every invariant, step by step', async () => {
    const streamId = pairingStreamId(pairingId);
    const reached = new Set<string>();
    const accepted = new Set<string>();
    await fc.assert(
      fc.asyncProperty(openingArb, fc.array(stepArb, { minLength: 1, maxLength: 25 }), async (opening, rest) => {
        const store = getInMemoryEventStore({ clock: () => new Date('2025-03-01T00:00:00Z') });
        let nextId = 0;
        const handle = pairingCommandHandler({
          personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
          store,
          context: async () => context,
          newId: () => `id-${nextId++}`,
        });
        let model = emptyModel;
        let day = 0;
        for (const step of [...(opening === null ? [] : [opening]), ...rest]) {
          day += step.advanceDays;
          const actor = resolveActor(step.actor, model);
          const command = toCommand(step.draft, actor, day);
          const before = (await store.readStream(streamId)).length;
          const want = expected(model, step.draft, actor, day);
          const result = await handle(command);
          expect(E.isRight(result), `${command.type} by ${actor.personId} as ${actor.role} on day ${day}`).toBe(
            want !== null,
          );
          const stored = await store.readStream(streamId);
          if (want === null) expect(stored.length).toBe(before);
          else {
            model = want;
            accepted.add(command.type);
          }
          const events: PairingEvent[] = stored.map((s) => {
            const decoded = pairingEventRegistry.decode(s);
            if (E.isLeft(decoded)) throw new Error(decoded.left.message);
            return decoded.right;
          });
          expect(projection(events.reduce(evolvePairing, initialPairingState))).toEqual(modelProjection(model));
          // The check-in results as stored, in order: the model's, and no distance anywhere.
          const results = events.flatMap((e) =>
            e.type === 'PairingVisitRecorded' && e.data.checkIn !== null ? [e.data.checkIn.result] : [],
          );
          expect(results).toEqual(model.checkIns);
          expect(JSON.stringify(stored)).not.toMatch(/distance/i);
          // Nothing follows the end.
          const endAt = events.findIndex((e) => e.type === 'PairingEnded');
          if (endAt >= 0) expect(endAt).toBe(events.length - 1);
          expect(verifyStream(streamId, stored)).toMatchObject({ ok: true });
          reached.add(model.status);
          for (const r of model.checkIns) reached.add(r);
          if (model.former.length > 0) reached.add('reassigned');
        }
      }),
      { numRuns: 300 },
    );
    expect([...reached].sort()).toEqual(['active', 'ended', 'far', 'near', 'none', 'reassigned', 'unchecked'].sort());
    expect(accepted.size).toBe(6);
  });
});
