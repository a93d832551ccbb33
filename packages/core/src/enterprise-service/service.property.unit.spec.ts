// Random command sequences by random actors, through command handling on the in-memory store, against a small
// reference model written separately from the decider (explicit tables of who may serve where instead of the
// directory's ancestry). After every step: the outcome and the folded state match the model, the hash chain
// verifies, the enterprise's contact person is stored sealed, and the lifecycle's promises hold on what was
// stored — one officer at a time, contacts only by that officer and only within their term, never in the future.
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { addDays, calendarDateOf } from '../codec/dates.js';
import { directoryViewOf } from '../directory/static-view.js';
import type { Actor, StoredEvent } from '../envelope.js';
import { commandHandler } from '../handling/command-handler.js';
import type { DecisionContext } from '../handling/decision-context.js';
import { verifyStream } from '../integrity/hash-chain.js';
import { createCorePersonalDataSealer } from '../personal-data.js';
import { getInMemorySubjectKeyStore } from '../privacy/key-store.js';
import { getInMemoryEventStore } from '../store/in-memory.js';
import { type ServiceCommand, serviceStreamIdOf } from './commands.js';
import { currentTerm, type ServiceState, serviceDecider } from './decider.js';
import { serviceRules as rules } from './errors.js';
import { type ServiceEvent, serviceEventRegistry, serviceStreamId } from './events.js';

// ── the world ─ D1 ⊃ {S1, S2 (retired)}; D2 ⊃ S3 ───────────────────────────────────────────────────
const directory = directoryViewOf({
  units: [
    { unitId: 'D1', name: '胶州市', kind: 'district', parentId: null },
    { unitId: 'S1', name: '九龙街道', kind: 'street', parentId: 'D1' },
    { unitId: 'S2', name: '已撤并镇', kind: 'street', parentId: 'D1', retired: true },
    { unitId: 'D2', name: '黄岛区', kind: 'district', parentId: null },
    { unitId: 'S3', name: '薛家岛街道', kind: 'street', parentId: 'D2' },
  ],
  holdings: [
    { personId: 'off1', role: 'office', unitId: 'D1' },
    { personId: 'off2', role: 'office', unitId: 'D2' },
    { personId: 'a', role: 'secretary', unitId: 'S1' },
    { personId: 'a', role: 'member', unitId: 'S1' },
    { personId: 'b', role: 'member', unitId: 'S1' },
    { personId: 'c', role: 'department_handler', unitId: 'D1' },
    { personId: 'd', role: 'secretary', unitId: 'S3' },
    { personId: 'r', role: 'resident', unitId: 'S1' },
  ].map((h) => ({
    ...(h as { personId: string; role: 'office'; unitId: string }),
    since: '2026-01-01T00:00:00+08:00',
  })),
});
const context: DecisionContext = { directory, wishClaims: { openClaimsOf: () => 0, limit: 3 } };

// The model's tables, by hand.
const districtOfUnit: Readonly<Record<string, string>> = { S1: 'D1', S3: 'D2' };
const retiredUnits = ['S2'];
const officeOf: Readonly<Record<string, string>> = { off1: 'D1', off2: 'D2' };
/** Serving roles per district and person, in the order a role is chosen. */
const servingIn: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  D1: { a: ['secretary', 'member'], b: ['member'], c: ['department_handler'] },
  D2: { d: ['secretary'] },
};

const actors: readonly Actor[] = [
  { personId: 'off1', role: 'office' },
  { personId: 'off2', role: 'office' },
  { personId: 'a', role: 'office' },
  { personId: 'a', role: 'secretary' },
  { personId: 'b', role: 'member' },
  { personId: 'c', role: 'department_handler' },
  { personId: 'd', role: 'secretary' },
  { personId: 'r', role: 'resident' },
];

interface ModelService {
  readonly status: 'active' | 'ended';
  readonly unitId: string;
  readonly officer: string | null;
  readonly officerRole: string | null;
  readonly since: string;
  readonly terms: number;
  readonly contacts: Readonly<Record<string, readonly string[]>>;
  readonly linked: readonly string[];
}
type Model = Readonly<Record<string, ModelService>>;
type Outcome = { ok: true; next: ModelService } | { ok: false; rule: string };

const refused = (rule: string): Outcome => ({ ok: false, rule });

const officerCheck = (district: string, officerId: string, role: string | undefined): string | { role: string } => {
  const held = servingIn[district]?.[officerId] ?? [];
  if (held.length === 0) return rules.officerCannotServe;
  const chosen = role === undefined ? held[0] : held.find((h) => h === role);
  return chosen === undefined ? rules.officerRoleNotHeld : { role: chosen };
};
const officeCheck = (actor: Actor, unitId: string): string | null => {
  const district = actor.role === 'office' ? officeOf[actor.personId] : undefined;
  if (district === undefined) return rules.notOffice;
  return districtOfUnit[unitId] === district ? null : rules.officeOutsideDistrict;
};

const reference = (model: Model, command: ServiceCommand): Outcome => {
  const { actor, now } = command.metadata;
  const s = model[command.data.enterpriseId];
  if (command.type === 'assignServiceOfficer') {
    const { unitId, officerId, officerRole } = command.data;
    if (s?.status === 'active') return refused(rules.assignAlreadyAssigned);
    if (retiredUnits.includes(unitId)) return refused(rules.assignRetiredUnit);
    if (districtOfUnit[unitId] === undefined) return refused(rules.assignUnknownUnit);
    const office = officeCheck(actor, unitId);
    if (office !== null) return refused(office);
    const officer = officerCheck(districtOfUnit[unitId]!, officerId, officerRole);
    if (typeof officer === 'string') return refused(officer);
    return {
      ok: true,
      next: {
        status: 'active',
        unitId,
        officer: officerId,
        officerRole: officer.role,
        since: now,
        terms: (s?.terms ?? 0) + 1,
        contacts: s?.contacts ?? {},
        linked: s?.linked ?? [],
      },
    };
  }
  if (s === undefined) return refused(rules.notAssigned);
  if (s.status === 'ended') return refused(rules.ended);
  switch (command.type) {
    case 'replaceServiceOfficer': {
      const office = officeCheck(actor, s.unitId);
      if (office !== null) return refused(office);
      if (command.data.officerId === s.officer) return refused(rules.replaceSameOfficer);
      const officer = officerCheck(districtOfUnit[s.unitId]!, command.data.officerId, command.data.officerRole);
      if (typeof officer === 'string') return refused(officer);
      return {
        ok: true,
        next: { ...s, officer: command.data.officerId, officerRole: officer.role, since: now, terms: s.terms + 1 },
      };
    }
    case 'endService': {
      const office = officeCheck(actor, s.unitId);
      if (office !== null) return refused(office);
      return { ok: true, next: { ...s, status: 'ended', officer: null, officerRole: null } };
    }
    case 'recordServiceContact': {
      const { contactId, work, date } = command.data;
      const needs = (command.data.needs ?? []).map((n) => n.needId);
      if (actor.personId !== s.officer) return refused(rules.contactNotOfficer);
      if (s.contacts[contactId] !== undefined) return refused(rules.contactAlreadyRecorded);
      if (new Set(work.map((w) => w.role)).size < work.length) return refused(rules.contactRepeatedRole);
      const known = Object.values(s.contacts).flat();
      if (new Set(needs).size < needs.length || needs.some((n) => known.includes(n)))
        return refused(rules.contactRepeatedNeed);
      if (date > now.slice(0, 10)) return refused(rules.contactInFuture);
      if (date < s.since.slice(0, 10)) return refused(rules.contactBeforeAssignment);
      return { ok: true, next: { ...s, contacts: { ...s.contacts, [contactId]: needs } } };
    }
    case 'raiseServiceNeedAsProblem': {
      const { contactId, needId, problemId } = command.data;
      if (actor.personId !== s.officer) return refused(rules.raiseNotOfficer);
      const needs = s.contacts[contactId];
      if (needs === undefined) return refused(rules.raiseUnknownContact);
      if (needId !== undefined && !needs.includes(needId)) return refused(rules.raiseUnknownNeed);
      if (s.linked.includes(problemId)) return refused(rules.raiseAlreadyLinked);
      return { ok: true, next: { ...s, linked: [...s.linked, problemId] } };
    }
  }
};

/** What of the decider's state the model speaks of. */
const summary = (state: ServiceState) => {
  if (state.status === 'none') return undefined;
  const term = currentTerm(state);
  return {
    status: state.status,
    unitId: state.unitId,
    officer: term?.officer.personId ?? null,
    officerRole: term?.officer.role ?? null,
    since: state.terms[state.terms.length - 1]!.from,
    terms: state.terms.length,
    contacts: state.contacts,
    linked: state.linkedProblemIds,
  };
};

// ── commands ────────────────────────────────────────────────────────────────────────────────────
const enterprise = fc.constantFrom('e1', 'e2');
const assignIntent = fc.record({
  type: fc.constant('assignServiceOfficer' as const),
  enterpriseId: enterprise,
  unitId: fc.constantFrom('S1', 'S1', 'S1', 'S2', 'S3', 'X'),
  officerId: fc.constantFrom('a', 'b', 'c', 'd', 'r'),
  officerRole: fc.constantFrom(undefined, undefined, 'secretary', 'member'),
});
const intent = fc.oneof(
  { arbitrary: assignIntent, weight: 2 },
  fc.record({
    type: fc.constant('replaceServiceOfficer' as const),
    enterpriseId: enterprise,
    officerId: fc.constantFrom('a', 'b', 'c', 'd', 'r'),
  }),
  fc.record({ type: fc.constant('endService' as const), enterpriseId: enterprise }),
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('recordServiceContact' as const),
      enterpriseId: enterprise,
      contactId: fc.constantFrom('k1', 'k2', 'k3', 'k4'),
      dateOffset: fc.constantFrom(0, 0, -1, -4, -30, 1),
      kind: fc.constantFrom('phone', 'on_site', 'meeting'),
      roles: fc.constantFrom(['policy'], ['policy', 'research'], ['assistance', 'liaison'], ['liaison', 'liaison']),
      needs: fc.constantFrom([], ['n1'], ['n2'], ['n1', 'n1']),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('raiseServiceNeedAsProblem' as const),
      enterpriseId: enterprise,
      contactId: fc.constantFrom('k1', 'k1', 'k2', 'k9'),
      needId: fc.constantFrom(undefined, undefined, 'n1', 'n2'),
      problemId: fc.constantFrom('p1', 'p1', 'p1', 'p2'),
    }),
  },
);
const step = fc.record({ intent, actor: fc.nat(actors.length - 1), asOfficer: fc.boolean() });
/** Most runs start with an enterprise served, or little past assignment would be reached. */
const opening = (enterpriseId: 'e1' | 'e2') =>
  fc.record({
    intent: fc.record({
      type: fc.constant('assignServiceOfficer' as const),
      enterpriseId: fc.constant(enterpriseId),
      unitId: fc.constant('S1'),
      officerId: fc.constantFrom('a', 'b', 'c'),
      officerRole: fc.constant(undefined),
    }),
    actor: fc.constant(0),
    asOfficer: fc.constant(true),
  });
const openings = fc.oneof(fc.constant([]), fc.tuple(opening('e1')), fc.tuple(opening('e1'), opening('e2')));
const run = fc
  .tuple(openings, fc.array(step, { minLength: 5, maxLength: 40, size: 'medium' }))
  .map(([first, rest]) => [...first, ...rest]);

type Intent = typeof intent extends fc.Arbitrary<infer I> ? I : never;

const commandOf = (i: Intent, actor: Actor, now: string): ServiceCommand => {
  const metadata = { actor, now };
  switch (i.type) {
    case 'assignServiceOfficer':
      return {
        type: i.type,
        data: {
          enterpriseId: i.enterpriseId,
          enterpriseName: `企业${i.enterpriseId}`,
          unitId: i.unitId,
          officerId: i.officerId,
          ...(i.officerRole === undefined ? {} : { officerRole: i.officerRole as 'secretary' }),
        },
        metadata,
      };
    case 'replaceServiceOfficer':
      return { type: i.type, data: { enterpriseId: i.enterpriseId, officerId: i.officerId }, metadata };
    case 'endService':
      return { type: i.type, data: { enterpriseId: i.enterpriseId, reason: '企业迁出' }, metadata };
    case 'recordServiceContact':
      return {
        type: i.type,
        data: {
          enterpriseId: i.enterpriseId,
          contactId: i.contactId,
          date: addDays(calendarDateOf(now), i.dateOffset),
          kind: i.kind as 'phone',
          work: i.roles.map((role) => ({ role: role as 'policy', summary: '走访了解情况' })),
          needs: i.needs.map((needId) => ({ needId, description: '需协调用电增容，联系人刘经理13800000000' })),
          contactPerson: { name: '刘经理', phone: '13800000000' },
        },
        metadata,
      };
    case 'raiseServiceNeedAsProblem':
      return {
        type: i.type,
        data: {
          enterpriseId: i.enterpriseId,
          contactId: i.contactId,
          problemId: i.problemId,
          ...(i.needId === undefined ? {} : { needId: i.needId }),
        },
        metadata,
      };
  }
};

const decodeAll = (stored: readonly StoredEvent[]): ServiceEvent[] =>
  stored.map((e) => {
    const decoded = serviceEventRegistry.decode(e);
    if (E.isLeft(decoded)) throw new Error(decoded.left.message);
    return decoded.right;
  });

/** One officer at a time; contacts by the officer serving, dated within their term and not after recording. */
const checkStoredPromises = (stream: readonly StoredEvent[]) => {
  let officer: string | null = null;
  let since = '';
  decodeAll(stream).forEach((event, i) => {
    switch (event.type) {
      case 'ServiceAssigned':
        expect(officer, 'never two officers').toBeNull();
        officer = event.data.officer.personId;
        since = event.data.since;
        break;
      case 'ServiceOfficerReplaced':
        expect(event.data.previousOfficerId).toBe(officer);
        officer = event.data.officer.personId;
        since = event.data.since;
        break;
      case 'ServiceEnded':
        officer = null;
        break;
      case 'ServiceContactRecorded':
        expect(stream[i]!.actor.personId, 'only the officer serving records a contact').toBe(officer);
        expect(event.data.date >= calendarDateOf(since)).toBe(true);
        expect(event.data.date <= calendarDateOf(stream[i]!.occurredAt)).toBe(true);
        break;
      case 'ServiceNeedRaisedAsProblem':
        expect(stream[i]!.actor.personId).toBe(officer);
        break;
    }
  });
};

describe('the enterprise-service lifecycle under random commands by random actors', () => {
  it('matches the reference model and keeps its promises after every step', async () => {
    const seen = new Map<string, number>();
    const note = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);

    await fc.assert(
      fc.asyncProperty(run, async (steps) => {
        const store = getInMemoryEventStore({ clock: () => new Date('2026-06-01T00:00:00.000Z') });
        let ids = 0;
        const sealer = createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() });
        const handle = commandHandler({
          personalData: sealer,
          store,
          decider: serviceDecider,
          registry: serviceEventRegistry,
          streamIdOf: serviceStreamIdOf,
          context: async () => context,
          newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
        });
        let model: Model = {};

        for (const [i, s] of steps.entries()) {
          const now = `${addDays('2026-03-01', i * 3)}T09:00:00+08:00`;
          const current = model[s.intent.enterpriseId]?.officer;
          const officerActor = actors.find((a) => a.personId === current && a.role !== 'office');
          // Half the steps are taken by whoever may act (the officer serving; the office for the office's acts).
          const officeAct = ['assignServiceOfficer', 'replaceServiceOfficer', 'endService'].includes(s.intent.type);
          const rightful = officeAct ? actors[0] : officerActor;
          const actor = s.asOfficer && rightful !== undefined ? rightful : actors[s.actor]!;
          const command = commandOf(s.intent, actor, now);
          const expected = reference(model, command);
          const before = store.log.length;
          const result = await handle(command);

          if (expected.ok) {
            if (E.isLeft(result)) throw new Error(`expected ${command.type} to pass, got ${result.left.rule}`);
            model = { ...model, [command.data.enterpriseId]: expected.next };
            for (const e of result.right.events) note(e.type);
          } else {
            expect(E.isLeft(result) && result.left.rule, `${command.type} by ${actor.personId}`).toBe(expected.rule);
            expect(store.log.length, 'a refused command stores nothing').toBe(before);
            note(expected.rule);
          }

          const streamId = serviceStreamId(command.data.enterpriseId);
          expect(store.log.slice(before).every((e) => e.streamId === streamId)).toBe(true);
          const stream = await store.readStream(streamId);
          expect(verifyStream(streamId, stream).ok).toBe(true);
          expect(JSON.stringify(stream), 'the contact person and the needs are stored sealed').not.toContain('刘经理');
          const folded = decodeAll(stream).reduce(serviceDecider.evolve, serviceDecider.initialState);
          expect(summary(folded)).toEqual(model[command.data.enterpriseId]);
          checkStoredPromises(stream);
        }
      }),
      { numRuns: 300 },
    );

    for (const key of [
      'ServiceOfficerReplaced',
      'ServiceEnded',
      'ServiceContactRecorded',
      'ServiceNeedRaisedAsProblem',
      rules.assignAlreadyAssigned,
      rules.assignRetiredUnit,
      rules.assignUnknownUnit,
      rules.notOffice,
      rules.officeOutsideDistrict,
      rules.officerCannotServe,
      rules.officerRoleNotHeld,
      rules.replaceSameOfficer,
      rules.contactNotOfficer,
      rules.contactInFuture,
      rules.contactBeforeAssignment,
      rules.contactAlreadyRecorded,
      rules.contactRepeatedRole,
      rules.contactRepeatedNeed,
      rules.raiseUnknownContact,
      rules.raiseUnknownNeed,
      rules.raiseAlreadyLinked,
      rules.ended,
      rules.notAssigned,
    ])
      expect(seen.get(key) ?? 0, key).toBeGreaterThan(0);
  });
});
