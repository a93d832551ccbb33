// Random command sequences by random actors, run through command handling on the in-memory store and
// compared, step by step, with a small reference model written independently of the decider (its own
// unit tree and role table, no DirectoryView). Whatever the sequence: never two claimants, no rating
// before solving, nothing after 销号, the folded state equals the model, and the hash chain verifies.

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
import { type ProblemCommand, problemStreamIdOf } from './commands.js';
import { type ProblemState, problemDecider } from './decider.js';
import { type ProblemEvent, problemEventRegistry, problemStreamId } from './events.js';

// ── The world: a small unit tree and who holds which role where ───────────────────────────────────
const parentOf: Record<string, string | null> = {
  D: null,
  S1: 'D',
  S2: 'D',
  DEP1: 'D',
  DEP2: 'D',
  C1: 'S1',
  C2: 'S2',
  G1: 'C1',
  // The neighbouring district, with an office of its own that must not act on D's problems.
  HD: null,
  S3: 'HD',
};
const departments = new Set(['DEP1', 'DEP2']);
const unitIds = Object.keys(parentOf);
/** personId → [role, unit] */
const holdings: Record<string, [string, string]> = {
  office: ['office', 'D'],
  officeHD: ['office', 'HD'],
  secD: ['secretary', 'D'],
  secS1: ['secretary', 'S1'],
  secS2: ['secretary', 'S2'],
  secC1: ['secretary', 'C1'],
  secC2: ['secretary', 'C2'],
  secG1: ['secretary', 'G1'],
  secDEP1: ['secretary', 'DEP1'],
  hDEP1: ['department_handler', 'DEP1'],
  hDEP2: ['department_handler', 'DEP2'],
  gw: ['grid_worker', 'G1'],
  R1: ['resident', 'G1'],
  R2: ['resident', 'C2'],
  E1: ['enterprise', 'S1'],
  E2: ['enterprise', 'S2'],
  member: ['member', 'S1'],
  auditor: ['auditor', 'D'],
};
const actors: Actor[] = [
  ...Object.entries(holdings).map(([personId, [role]]) => ({ personId, role: role as Actor['role'] })),
  // People acting in a role they do not hold.
  { personId: 'member', role: 'secretary' },
  { personId: 'secD', role: 'office' },
  { personId: 'R2', role: 'department_handler' },
];

const kindOf = (unitId: string): UnitInfo['kind'] =>
  departments.has(unitId)
    ? 'department'
    : unitId === 'D' || unitId === 'HD'
      ? 'district'
      : unitId.startsWith('S')
        ? 'street'
        : unitId.startsWith('C')
          ? 'community'
          : 'grid';
const context: DecisionContext = {
  directory: directoryViewOf({
    units: unitIds.map((unitId) => ({
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

// ── Time: whole days from 1 March 2025, written in Jiaozhou's offset ─────────────────────────────
const dateOfDay = (day: number): string => new Date(Date.UTC(2025, 2, 1 + day)).toISOString().slice(0, 10);
const nowOfDay = (day: number): string => `${dateOfDay(day)}T09:00:00+08:00`;
const windowDays = { minor: 1, small: 3, medium: 7, major: 15 } as const;

// ── Commands, without metadata (the actor and day are drawn separately) ───────────────────────────
const problemId = 'p-1';
type Draft =
  | { type: 'solicitProblem'; data: Extract<ProblemCommand, { type: 'solicitProblem' }>['data'] }
  | { type: 'assignProblem'; data: { problemId: string; toUnitId: string } }
  | { type: 'claimProblem'; data: { problemId: string; plan: string }; promiseInDays: number }
  | { type: 'escalateProblem'; data: { problemId: string; reason: string } }
  | { type: 'superviseProblem'; data: { problemId: string; ground: 'overdue' | 'reopened' } }
  | {
      type: 'rejectProblem';
      data: { problemId: string; ground: 'duplicate' | 'out_of_scope' | 'other'; reason: string };
    }
  | { type: 'noteProblemProgress'; data: { problemId: string; note: string } }
  | {
      type: 'solveProblem';
      data: { problemId: string; summary: string; evidence: readonly { kind: 'photo'; uri: string }[] };
    }
  | {
      type: 'resolveProblemOnSite';
      data: {
        problemId: string;
        unitId: string;
        grade: 'minor' | 'small' | 'medium' | 'major';
        title: string;
        visitId: string;
        summary: string;
        evidence: readonly { kind: 'photo'; uri: string }[];
        raiser?: (typeof raiserChoices)[number];
      };
    }
  | {
      type: 'evaluateProblem';
      data: {
        problemId: string;
        kind: 'resident' | 'enterprise' | 'assessment' | 'auto';
        verdict: 'satisfied' | 'basically_satisfied' | 'unsatisfied';
        raiserUnreachable?: boolean;
        onBehalfOfRaiser?: boolean;
      };
    };

// Mostly filled in, sometimes blank: the rules on required text get exercised without starving the lifecycle.
const text = fc.oneof({ weight: 7, arbitrary: fc.constant('办理中') }, { weight: 1, arbitrary: fc.constant(' ') });
const unitArb = fc.constantFrom(...unitIds, 'nowhere');
const raiserChoices = [
  undefined,
  { kind: 'resident' as const, personId: 'R1', name: '张三' },
  { kind: 'resident' as const, personId: 'R2' },
  { kind: 'resident' as const, name: '李四' },
  { kind: 'enterprise' as const, enterpriseName: '某公司', enterpriseId: 'E1' },
  { kind: 'enterprise' as const, enterpriseName: '某公司' },
] as const;
const raiserArb = fc.constantFrom(...raiserChoices);
const draftArb: fc.Arbitrary<Draft> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('solicitProblem' as const),
      data: fc.record({
        problemId: fc.constant(problemId),
        unitId: unitArb,
        source: fc.constantFrom('resident', 'enterprise', 'grid_visit', 'suggestion_drive', 'supervision_case'),
        grade: fc.constantFrom('minor', 'small', 'medium', 'major'),
        title: text,
        raiser: raiserArb,
      }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('assignProblem' as const),
      data: fc.record({ problemId: fc.constant(problemId), toUnitId: unitArb }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant('claimProblem' as const),
      data: fc.record({ problemId: fc.constant(problemId), plan: text }),
      promiseInDays: fc.integer({ min: -2, max: 10 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('escalateProblem' as const),
      data: fc.record({ problemId: fc.constant(problemId), reason: text }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('superviseProblem' as const),
      data: fc.record({ problemId: fc.constant(problemId), ground: fc.constantFrom('overdue', 'reopened') }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('rejectProblem' as const),
      data: fc.record({
        problemId: fc.constant(problemId),
        ground: fc.constantFrom('duplicate', 'out_of_scope', 'other'),
        reason: text,
      }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('noteProblemProgress' as const),
      data: fc.record({ problemId: fc.constant(problemId), note: text }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant('solveProblem' as const),
      data: fc.record({
        problemId: fc.constant(problemId),
        summary: text,
        evidence: fc.constantFrom(...[1, 2, 3, 4].map(() => [{ kind: 'photo' as const, uri: 'u' }]), []),
      }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('resolveProblemOnSite' as const),
      data: fc.record({
        problemId: fc.constant(problemId),
        unitId: unitArb,
        grade: fc.constantFrom('minor', 'small', 'medium', 'major'),
        title: text,
        visitId: fc.constant('V-1'),
        summary: text,
        evidence: fc.constantFrom(...[1, 2, 3].map(() => [{ kind: 'photo' as const, uri: 'u' }]), []),
        raiser: raiserArb,
      }),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      type: fc.constant('evaluateProblem' as const),
      data: fc.record(
        {
          problemId: fc.constant(problemId),
          // 'auto' rates in the role the actor acts in, so raisers and the office often rate validly.
          kind: fc.constantFrom('resident', 'enterprise', 'assessment', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto'),
          verdict: fc.constantFrom('satisfied', 'basically_satisfied', 'unsatisfied'),
          raiserUnreachable: fc.boolean(),
          onBehalfOfRaiser: fc.boolean(),
        },
        { requiredKeys: ['problemId', 'kind', 'verdict'] },
      ),
    }),
  },
);

/** Who acts: a fixed actor, or whoever holds the claim / raised the problem at that moment. */
type ActorSpec = Actor | 'claimant' | 'raiser';
const anyone = fc.constantFrom<ActorSpec>(...actors);
const officeActor: ActorSpec = { personId: 'office', role: 'office' };
/** Mostly the person a command is meant for, often anyone at all, so both sides of every rule get exercised. */
const actorFor = (type: Draft['type']): fc.Arbitrary<ActorSpec> => {
  switch (type) {
    case 'claimProblem':
    case 'escalateProblem':
    case 'noteProblemProgress':
    case 'solveProblem':
    case 'resolveProblemOnSite':
      return fc.oneof({ weight: 3, arbitrary: fc.constant<ActorSpec>('claimant') }, { weight: 2, arbitrary: anyone });
    case 'evaluateProblem':
      return fc.oneof(
        { weight: 3, arbitrary: fc.constant<ActorSpec>('raiser') },
        { weight: 1, arbitrary: fc.constant(officeActor) },
        { weight: 2, arbitrary: anyone },
      );
    case 'assignProblem':
    case 'superviseProblem':
    case 'rejectProblem':
      return fc.oneof({ weight: 1, arbitrary: fc.constant(officeActor) }, { weight: 2, arbitrary: anyone });
    case 'solicitProblem':
      return anyone;
  }
};
const stepArb = draftArb.chain((draft) =>
  fc.record({ draft: fc.constant(draft), actor: actorFor(draft.type), advanceDays: fc.integer({ min: 0, max: 3 }) }),
);

/** Most runs open with a solicitation that stands a chance, so the rest of the sequence has something to act on. */
const openingArb = fc.option(
  fc.record({
    draft: fc.constantFrom<[Actor, Draft['data'] & { source: string }]>(
      [
        { personId: 'R1', role: 'resident' },
        {
          problemId,
          unitId: 'C1',
          source: 'resident',
          grade: 'small',
          title: '路灯不亮',
          raiser: { kind: 'resident', personId: 'R1' },
        },
      ],
      [
        { personId: 'E1', role: 'enterprise' },
        {
          problemId,
          unitId: 'S1',
          source: 'enterprise',
          grade: 'medium',
          title: '道路破损',
          raiser: { kind: 'enterprise', enterpriseName: '某公司', enterpriseId: 'E1' },
        },
      ],
      [
        { personId: 'office', role: 'office' },
        { problemId, unitId: 'G1', source: 'supervision_case', grade: 'major', title: '违建' },
      ],
      [
        { personId: 'office', role: 'office' },
        {
          problemId,
          unitId: 'C2',
          source: 'resident',
          grade: 'minor',
          title: '噪音',
          raiser: { kind: 'resident', name: '王五' },
        },
      ],
      [
        { personId: 'gw', role: 'grid_worker' },
        {
          problemId,
          unitId: 'G1',
          source: 'grid_visit',
          grade: 'minor',
          title: '井盖',
          raiser: { kind: 'resident', personId: 'R1' },
        },
      ],
      [
        { personId: 'secS1', role: 'secretary' },
        { problemId, unitId: 'C1', source: 'suggestion_drive', grade: 'small', title: '停车难' },
      ],
    ),
    advanceDays: fc.constant(0),
  }),
  { freq: 5 },
);

const resolveActor = (spec: ActorSpec, m: Model): Actor => {
  if (spec === 'claimant') {
    // Before anyone claims, "the claimant" is a secretary of the unit where the problem sits, if it has one.
    const secretaryHere = Object.keys(holdings).find((p) => holds(p, 'secretary', m.unitId ?? ''));
    const personId = m.claimantId ?? secretaryHere ?? 'secD';
    return { personId, role: (holdings[personId]?.[0] ?? 'secretary') as Actor['role'] };
  }
  // Where nobody can be asked (督查件, an anonymous raiser), the office assesses instead.
  if (spec === 'raiser')
    return m.raiser === null || m.raiser.id === null
      ? { personId: 'office', role: 'office' }
      : { personId: m.raiser.id, role: m.raiser.kind };
  return spec;
};

const toCommand = (draft: Draft, actor: Actor, day: number, m: Model): ProblemCommand => {
  const metadata = { actor, now: nowOfDay(day) };
  if (draft.type === 'claimProblem')
    return {
      type: 'claimProblem',
      data: { ...draft.data, promisedBy: dateOfDay(day + draft.promiseInDays) },
      metadata,
    };
  if (draft.type === 'solicitProblem') {
    const { raiser, ...rest } = draft.data;
    return { type: 'solicitProblem', data: raiser === undefined ? rest : { ...rest, raiser }, metadata };
  }
  if (draft.type === 'resolveProblemOnSite') {
    const { raiser, evidence, ...rest } = draft.data;
    const data = { ...rest, evidence: [...evidence] };
    return { type: 'resolveProblemOnSite', data: raiser === undefined ? data : { ...data, raiser }, metadata };
  }
  if (draft.type === 'evaluateProblem' && draft.data.kind === 'auto') {
    // 回访 records the raiser's verdict, so it rates in the raiser's kind.
    const kind =
      actor.role === 'resident' || actor.role === 'enterprise'
        ? actor.role
        : draft.data.onBehalfOfRaiser === true && m.raiser !== null
          ? m.raiser.kind
          : 'assessment';
    return { type: 'evaluateProblem', data: { ...draft.data, kind }, metadata };
  }
  return { ...draft, metadata } as ProblemCommand;
};

// ── The reference model ────────────────────────────────────────────────────────────────────────────
interface Model {
  readonly status: 'none' | 'solicited' | 'assigned' | 'claimed' | 'solved' | 'closed' | 'rejected';
  readonly unitId: string | null;
  readonly assignedTo: string | null;
  readonly claimantId: string | null;
  readonly promisedBy: string | null;
  readonly reworkCount: number;
  readonly grade: keyof typeof windowDays;
  readonly solicitedDay: number;
  readonly raiser: { kind: 'resident' | 'enterprise'; id: string | null } | null;
}
const emptyModel: Model = {
  status: 'none',
  unitId: null,
  assignedTo: null,
  claimantId: null,
  promisedBy: null,
  reworkCount: 0,
  grade: 'minor',
  solicitedDay: 0,
  raiser: null,
};

const lineage = (unitId: string): string[] => {
  const out: string[] = [];
  for (let u: string | null | undefined = unitId; u !== null && u !== undefined; u = parentOf[u]) out.push(u);
  return out;
};
const holds = (personId: string, role: string, unitId?: string): boolean => {
  const h = holdings[personId];
  return h !== undefined && h[0] === role && (unitId === undefined || h[1] === unitId);
};
const actingAs = (actor: Actor, role: string, unitId?: string) =>
  actor.role === role && holds(actor.personId, role, unitId);
const actingAsAbove = (actor: Actor, role: string, unitId: string) =>
  actor.role === role && lineage(unitId).some((u) => holds(actor.personId, role, u));
/** Acting as the office of the district `unitId` lies in: an office acts only inside its own district. */
const officeOver = (actor: Actor, unitId: string) => actingAsAbove(actor, 'office', unitId);
const filled = (s: string) => s.trim() !== '';

/** The model after the command, or null when the rules refuse it. */
const expected = (m: Model, c: ProblemCommand, day: number): Model | null => {
  const { actor } = c.metadata;
  const today = dateOfDay(day);
  if (m.status === 'closed' || m.status === 'rejected') return null;
  if (c.type === 'solicitProblem') {
    const d = c.data;
    if (m.status !== 'none' || parentOf[d.unitId] === undefined) return null;
    const sources: Record<string, string[]> = {
      resident: ['resident'],
      enterprise: ['enterprise'],
      grid_worker: ['grid_visit'],
      secretary: ['suggestion_drive'],
      office: ['resident', 'enterprise', 'grid_visit', 'suggestion_drive', 'supervision_case'],
    };
    if (!(sources[actor.role] ?? []).includes(d.source)) return null;
    if (actor.role === 'office' && !officeOver(actor, d.unitId)) return null;
    if ((d.source === 'resident' || d.source === 'enterprise') && d.raiser?.kind !== d.source) return null;
    const raiserId =
      d.raiser === undefined
        ? null
        : ((d.raiser.kind === 'resident' ? d.raiser.personId : d.raiser.enterpriseId) ?? null);
    if ((actor.role === 'resident' || actor.role === 'enterprise') && raiserId !== actor.personId) return null;
    if ((actor.role === 'grid_worker' || actor.role === 'secretary') && !actingAsAbove(actor, actor.role, d.unitId))
      return null;
    if (!filled(d.title)) return null;
    return {
      ...emptyModel,
      status: 'solicited',
      unitId: d.unitId,
      grade: d.grade,
      solicitedDay: day,
      raiser: d.raiser === undefined ? null : { kind: d.raiser.kind, id: raiserId },
    };
  }
  if (c.type === 'resolveProblemOnSite') {
    // 现场解决: solicited, claimed for today and solved at once, by a secretary of the unit or above it.
    const d = c.data;
    if (m.status !== 'none' || parentOf[d.unitId] === undefined) return null;
    if (!actingAsAbove(actor, 'secretary', d.unitId)) return null;
    if (!filled(d.title) || !filled(d.summary) || d.evidence.length === 0) return null;
    const raiserId =
      d.raiser === undefined
        ? null
        : ((d.raiser.kind === 'resident' ? d.raiser.personId : d.raiser.enterpriseId) ?? null);
    return {
      ...emptyModel,
      status: 'solved',
      unitId: d.unitId,
      grade: d.grade,
      solicitedDay: day,
      claimantId: actor.personId,
      promisedBy: today,
      raiser: d.raiser === undefined ? null : { kind: d.raiser.kind, id: raiserId },
    };
  }
  if (m.status === 'none' || m.unitId === null) return null;
  const unclaimed = m.status === 'solicited' || m.status === 'assigned';
  switch (c.type) {
    case 'assignProblem':
      if (!unclaimed || !officeOver(actor, m.unitId) || parentOf[c.data.toUnitId] === undefined) return null;
      if (!officeOver(actor, c.data.toUnitId)) return null;
      return { ...m, status: 'assigned', unitId: c.data.toUnitId, assignedTo: c.data.toUnitId };
    case 'claimProblem': {
      if (!unclaimed) return null;
      const mayClaim =
        actor.role === 'department_handler'
          ? m.assignedTo !== null &&
            departments.has(m.assignedTo) &&
            actingAs(actor, 'department_handler', m.assignedTo)
          : actingAsAbove(actor, 'secretary', m.unitId);
      if (!mayClaim || !filled(c.data.plan) || c.data.promisedBy < today) return null;
      return { ...m, status: 'claimed', claimantId: actor.personId, promisedBy: c.data.promisedBy };
    }
    case 'escalateProblem': {
      const parent = parentOf[m.unitId] ?? null;
      if (m.status !== 'claimed' || actor.personId !== m.claimantId || parent === null || !filled(c.data.reason))
        return null;
      return { ...m, status: 'solicited', unitId: parent, assignedTo: null, claimantId: null, promisedBy: null };
    }
    case 'superviseProblem': {
      if (!officeOver(actor, m.unitId)) return null;
      const overdue =
        m.status === 'claimed'
          ? today > (m.promisedBy ?? '')
          : unclaimed && today > dateOfDay(m.solicitedDay + windowDays[m.grade]);
      const ok = c.data.ground === 'overdue' ? overdue : m.status === 'claimed' && m.reworkCount > 0;
      return ok ? m : null;
    }
    case 'rejectProblem':
      if (!unclaimed || !(officeOver(actor, m.unitId) || actingAs(actor, 'secretary', m.unitId))) return null;
      return filled(c.data.reason) ? { ...m, status: 'rejected' } : null;
    case 'noteProblemProgress':
      return m.status === 'claimed' && actor.personId === m.claimantId && filled(c.data.note) ? m : null;
    case 'solveProblem':
      if (m.status !== 'claimed' || actor.personId !== m.claimantId) return null;
      return filled(c.data.summary) && c.data.evidence.length > 0 ? { ...m, status: 'solved' } : null;
    case 'evaluateProblem': {
      if (m.status !== 'solved') return null;
      const { kind, verdict, raiserUnreachable, onBehalfOfRaiser } = c.data;
      if (onBehalfOfRaiser === true) {
        const callsBack = officeOver(actor, m.unitId) && m.raiser !== null && m.raiser.id !== null;
        if (!callsBack || kind !== m.raiser?.kind) return null;
        return verdict === 'unsatisfied'
          ? { ...m, status: 'claimed', reworkCount: m.reworkCount + 1 }
          : { ...m, status: 'closed' };
      }
      const byRaiser =
        kind !== 'assessment' &&
        m.raiser?.kind === kind &&
        m.raiser.id !== null &&
        actor.role === kind &&
        actor.personId === m.raiser.id;
      if (kind === 'assessment' ? !officeOver(actor, m.unitId) : !byRaiser) return null;
      if (verdict === 'unsatisfied') return { ...m, status: 'claimed', reworkCount: m.reworkCount + 1 };
      const closes = kind !== 'assessment' || m.raiser === null || m.raiser.id === null || raiserUnreachable === true;
      return closes ? { ...m, status: 'closed' } : m;
    }
  }
};

const projection = (s: ProblemState) =>
  s.status === 'none'
    ? { status: 'none' }
    : {
        status: s.status,
        unitId: s.unitId,
        assignedTo: s.assignedTo,
        claimantId: s.claim?.claimantId ?? null,
        promisedBy: s.claim?.promisedBy ?? null,
        reworkCount: s.reworkCount,
      };
const modelProjection = (m: Model) =>
  m.status === 'none'
    ? { status: 'none' }
    : {
        status: m.status,
        unitId: m.unitId,
        assignedTo: m.assignedTo,
        claimantId: m.claimantId,
        promisedBy: m.promisedBy,
        reworkCount: m.reworkCount,
      };

/** Invariants read off the stored events alone, without the decider's state. */
const checkHistory = (events: readonly ProblemEvent[]) => {
  let claimant: string | null = null;
  let solved = false;
  let finished = false;
  for (const e of events) {
    expect(finished, `${e.type} after the problem was closed or rejected`).toBe(false);
    if (e.type === 'ProblemClaimed') {
      expect(claimant, 'a second claimant while the first still holds it').toBeNull();
      claimant = e.data.claimantId;
    }
    if (e.type === 'ProblemEscalated') claimant = null;
    if (e.type === 'ProblemSolved') {
      expect(claimant, 'solved without a claimant').not.toBeNull();
      solved = true;
    }
    if (e.type === 'ProblemReopened') solved = false;
    if (e.type === 'ProblemEvaluated') expect(solved, 'a rating before the problem was solved').toBe(true);
    if (e.type === 'ProblemClosed' || e.type === 'ProblemRejected') finished = true;
  }
};

describe('problem lifecycle against a reference model', () => {
  it('random commands by random actors keep every invariant, step by step', async () => {
    const streamId = problemStreamId(problemId);
    const reached = new Set<string>();
    const accepted = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        openingArb,
        fc.array(stepArb, { minLength: 1, maxLength: 30, size: 'max' }),
        async (opening, rest) => {
          const store = getInMemoryEventStore({ clock: () => new Date('2025-03-01T00:00:00Z') });
          let nextId = 0;
          const handle = commandHandler({
            personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
            store,
            decider: problemDecider,
            registry: problemEventRegistry,
            streamIdOf: problemStreamIdOf,
            context: async () => context,
            newId: () => `id-${nextId++}`,
          });
          let model = emptyModel;
          let day = 0;
          const steps: { draft: Draft; actor: ActorSpec; advanceDays: number }[] = [
            ...(opening === null
              ? []
              : [
                  {
                    draft: { type: 'solicitProblem', data: opening.draft[1] } as Draft,
                    actor: opening.draft[0],
                    advanceDays: 0,
                  },
                ]),
            ...rest,
          ];
          for (const step of steps) {
            day += step.advanceDays;
            const actor = resolveActor(step.actor, model);
            const command = toCommand(step.draft, actor, day, model);
            const before = (await store.readStream(streamId)).length;
            const want = expected(model, command, day);
            const result = await handle(command);

            expect(E.isRight(result), `${command.type} by ${actor.personId} as ${actor.role} on day ${day}`).toBe(
              want !== null,
            );
            const stored = await store.readStream(streamId);
            if (want === null) expect(stored.length).toBe(before);
            else {
              model = want;
              accepted.add(command.type);
              if (command.type === 'evaluateProblem' && command.data.onBehalfOfRaiser === true) reached.add('callback');
              if (command.type === 'resolveProblemOnSite') reached.add('on_site');
            }

            const events = stored.map((s) => {
              const decoded = problemEventRegistry.decode(s);
              if (E.isLeft(decoded)) throw new Error(decoded.left.message);
              return decoded.right;
            });
            expect(projection(events.reduce(problemDecider.evolve, problemDecider.initialState))).toEqual(
              modelProjection(model),
            );
            checkHistory(events);
            expect(verifyStream(streamId, stored)).toMatchObject({ ok: true });
            reached.add(model.status);
            if (model.reworkCount > 0) reached.add('reworked');
          }
        },
      ),
      { numRuns: 1000 },
    );
    // The sequences must actually reach the interesting states, or the invariants above prove little.
    expect([...reached].sort()).toEqual(
      [
        'assigned',
        'callback',
        'claimed',
        'closed',
        'none',
        'on_site',
        'rejected',
        'reworked',
        'solicited',
        'solved',
      ].sort(),
    );
    expect(accepted.size).toBe(10);
  });
});
