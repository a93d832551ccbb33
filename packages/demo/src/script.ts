// The demo campaign as a script of commands: a generator that yields one command at a time, in business
// time order, and is handed back what the deciders made of it. It never writes an event itself — the
// two drivers (`seedDemo` through command handling, `generateDemoEvents` in memory) decide every command,
// so each generated history is one the rules allow. The script plans each item's fate up front (closed,
// reopened, escalated, rejected, …) and chooses who acts only when the act is due, from the directory as
// it stands then (a secretary replaced mid-campaign no longer acts for their unit).
import {
  type Actor,
  type CampaignCommand,
  type Command,
  type NewEvent,
  openClaimDelta,
  type PersonCommand,
  type ProblemCommand,
  type ProblemGrade,
  type ProblemRaiser,
  type ProblemState,
  type ProblemVerdict,
  type RegisterPerson,
  responseWindowDays,
  revealsWisher,
  type UnitCommand,
  type UnitKind,
  uuidFromName,
  type WishCategory,
  type WishCommand,
  type WishConsent,
  type WishEvent,
  type WishState,
} from '@banshishi/core';
import { addDays, businessTime, dayMs, localDate, midnightOf, startOfDay } from './clock.js';
import { type DemoLifecycleName, demoLifecycles } from './lifecycles.js';
import type { DemoManifest, PersonRef } from './manifest.js';
import { type OrgPerson, type OrgUnit, planOrganisation, planPopulation } from './organisation.js';
import { createPeopleFactory } from './people.js';
import { createRandom, type Random } from './random.js';
import {
  assignmentNotes,
  campaignAdjustmentReason,
  campaignName,
  cancelReasons,
  enterpriseTopics,
  escalationReasons,
  evidenceCaptions,
  type ProblemTopic,
  rejectionReasons,
  releaseReasons,
  residentTopics,
  reworkNotes,
  supervisionNotes,
  verdictComments,
  type WishTheme,
  wishConfirmComments,
  wishThemes,
} from './vocabulary.js';

export interface DemoOptions {
  /** Same seed, same history, event for event (default 1). */
  readonly seed?: number;
  /** Roughly how many events to generate (default 2,000: the embedded demo). */
  readonly scale?: number;
  /** The campaign period, both days inclusive (default 2021-03-01 … 2021-12-31, after seed 002). */
  readonly period?: { readonly from: string; readonly to: string };
  /** The day the simulated clock stops (default the period's last day). */
  readonly until?: string;
}

export interface ResolvedDemoOptions {
  readonly seed: number;
  readonly scale: number;
  readonly period: { readonly from: string; readonly to: string };
  readonly until: string;
}

export const resolveDemoOptions = (options: DemoOptions = {}): ResolvedDemoOptions => {
  const period = options.period ?? { from: '2021-03-01', to: '2021-12-31' };
  const resolved = {
    seed: options.seed ?? 1,
    scale: Math.round(options.scale ?? 2000),
    period,
    until: options.until ?? period.to,
  };
  if (!Number.isSafeInteger(resolved.seed)) throw new RangeError(`seed must be a whole number, got ${resolved.seed}`);
  if (!(resolved.scale >= 300)) throw new RangeError(`scale must be at least 300 events, got ${resolved.scale}`);
  if (!(period.from < period.to))
    throw new RangeError(`period must end after it starts: ${period.from} → ${period.to}`);
  if (!(resolved.until > addDays(period.from, 30)))
    throw new RangeError(`until (${resolved.until}) must leave at least a month of campaign after ${period.from}`);
  return resolved;
};

interface CommandOf {
  readonly unit: UnitCommand;
  readonly person: PersonCommand;
  readonly campaign: CampaignCommand;
  readonly problem: ProblemCommand;
  readonly wish: WishCommand;
}

/** One command of the script, with the stream it acts on and the ids that make it safe to retry. */
export type DemoCommand = {
  readonly [K in DemoLifecycleName]: {
    readonly lifecycle: K;
    readonly command: CommandOf[K];
    readonly streamId: string;
    /** Derives the event ids (`eventIdFor`), so both drivers store the very same events. */
    readonly idempotencyKey: string;
    readonly correlationId: string;
  };
}[DemoLifecycleName];

/** What the deciders made of a command: the events appended and the stream's state after them. */
export interface DemoOutcome {
  readonly events: readonly NewEvent[];
  readonly state: unknown;
}

export type DemoScript = Generator<DemoCommand, DemoManifest, DemoOutcome>;

// ── item plans ───────────────────────────────────────────────────────────────────────────────────

type ProblemChannel = 'resident' | 'enterprise' | 'grid_visit' | 'suggestion_drive' | 'supervision_case';
type ProblemOutcome = 'rejected' | 'solicited' | 'assigned' | 'claimed' | 'solved' | 'closed';

interface ProblemPlan {
  readonly channel: ProblemChannel;
  readonly outcome: ProblemOutcome;
  readonly assign: 'department' | 'street' | null;
  readonly escalations: number;
  /** Claimed after the response window, under supervision (督办). */
  readonly lateClaim: boolean;
  /** Solved after the promised date (or never, when the outcome is `claimed`), under supervision. */
  readonly lateSolve: boolean;
  /** The first verdict is unsatisfied: reopened and reworked. */
  readonly reopen: boolean;
  /** The office rates (考核评) before the raiser does. */
  readonly assessmentFirst: boolean;
  /** The raiser cannot be reached: the office's assessment closes it. */
  readonly unreachable: boolean;
  readonly notes: number;
}

type WishOutcome = 'collected' | 'claimed' | 'fulfilled' | 'confirmed' | 'showcased' | 'cancelled';

interface WishPlan {
  readonly collector: 'self' | 'grid_worker' | 'member' | 'secretary';
  readonly registered: boolean;
  readonly consent: WishConsent;
  readonly outcome: WishOutcome;
  readonly cancel: { readonly at: 'collected' | 'claimed'; readonly grounds: 'withdrawn' | 'invalid' } | null;
  readonly release: boolean;
  readonly reopen: boolean;
}

const problemPlan = (p: Partial<ProblemPlan> & Pick<ProblemPlan, 'channel' | 'outcome'>): ProblemPlan => ({
  assign: null,
  escalations: 0,
  lateClaim: false,
  lateSolve: false,
  reopen: false,
  assessmentFirst: false,
  unreachable: false,
  notes: 1,
  ...p,
});

/** The first problems of every run take these plans, so even the smallest demo reaches every state. */
const coverageProblems: readonly ProblemPlan[] = [
  problemPlan({ channel: 'resident', outcome: 'closed' }),
  problemPlan({ channel: 'resident', outcome: 'rejected' }),
  problemPlan({ channel: 'resident', outcome: 'solicited', lateClaim: true }),
  problemPlan({ channel: 'supervision_case', outcome: 'assigned', assign: 'department' }),
  problemPlan({ channel: 'grid_visit', outcome: 'claimed', lateSolve: true, notes: 2 }),
  problemPlan({ channel: 'resident', outcome: 'solved' }),
  problemPlan({ channel: 'enterprise', outcome: 'closed', notes: 2 }),
  problemPlan({ channel: 'grid_visit', outcome: 'closed', escalations: 1 }),
  problemPlan({ channel: 'grid_visit', outcome: 'closed', escalations: 2 }),
  problemPlan({ channel: 'resident', outcome: 'closed', reopen: true }),
  problemPlan({ channel: 'resident', outcome: 'claimed', reopen: true }),
  problemPlan({ channel: 'supervision_case', outcome: 'closed', assign: 'department' }),
  problemPlan({ channel: 'resident', outcome: 'closed', assign: 'street' }),
  problemPlan({ channel: 'resident', outcome: 'closed', lateClaim: true, lateSolve: true }),
  problemPlan({ channel: 'resident', outcome: 'closed', assessmentFirst: true }),
  problemPlan({ channel: 'enterprise', outcome: 'closed', unreachable: true }),
  problemPlan({ channel: 'suggestion_drive', outcome: 'closed', notes: 0 }),
  problemPlan({ channel: 'supervision_case', outcome: 'rejected' }),
];

const wishPlan = (p: Partial<WishPlan> & Pick<WishPlan, 'outcome'>): WishPlan => ({
  collector: 'grid_worker',
  registered: false,
  consent: 'anonymous',
  cancel: null,
  release: false,
  reopen: false,
  ...p,
});

const coverageWishes: readonly WishPlan[] = [
  wishPlan({ outcome: 'collected' }),
  wishPlan({ outcome: 'claimed', collector: 'secretary' }),
  wishPlan({ outcome: 'fulfilled', collector: 'self', registered: true }),
  wishPlan({ outcome: 'confirmed', consent: 'none' }),
  wishPlan({ outcome: 'showcased', consent: 'anonymous', collector: 'self', registered: true }),
  wishPlan({ outcome: 'showcased', consent: 'named', collector: 'member' }),
  wishPlan({ outcome: 'showcased', consent: 'named', release: true }),
  wishPlan({ outcome: 'showcased', consent: 'anonymous', reopen: true, registered: true, collector: 'secretary' }),
  wishPlan({
    outcome: 'cancelled',
    collector: 'self',
    registered: true,
    cancel: { at: 'collected', grounds: 'withdrawn' },
  }),
  wishPlan({ outcome: 'cancelled', collector: 'secretary', cancel: { at: 'claimed', grounds: 'invalid' } }),
  wishPlan({ outcome: 'cancelled', cancel: { at: 'claimed', grounds: 'withdrawn' } }),
  wishPlan({ outcome: 'fulfilled', reopen: true, collector: 'member' }),
];

const randomProblemPlan = (random: Random): ProblemPlan => {
  const channel = random.weighted<ProblemChannel>([
    ['resident', 40],
    ['grid_visit', 20],
    ['enterprise', 12],
    ['suggestion_drive', 13],
    ['supervision_case', 15],
  ]);
  const assign =
    channel === 'supervision_case'
      ? random.chance(0.7)
        ? random.chance(0.8)
          ? 'department'
          : 'street'
        : null
      : random.chance(0.08)
        ? 'department'
        : null;
  let outcome = random.weighted<ProblemOutcome>([
    ['rejected', 5],
    ['solicited', 3],
    ['assigned', 2],
    ['claimed', 9],
    ['solved', 7],
    ['closed', 74],
  ]);
  if (outcome === 'assigned' && assign === null) outcome = 'solicited';
  return {
    channel,
    outcome,
    assign,
    escalations: random.weighted([
      [0, 88],
      [1, 10],
      [2, 2],
    ]),
    lateClaim: random.chance(0.08),
    lateSolve: random.chance(0.12),
    reopen: random.chance(0.08),
    assessmentFirst: random.chance(0.1),
    unreachable: random.chance(0.04),
    notes: random.weighted([
      [0, 25],
      [1, 40],
      [2, 25],
      [3, 10],
    ]),
  };
};

const randomWishPlan = (random: Random): WishPlan => {
  const collector = random.weighted<WishPlan['collector']>([
    ['self', 25],
    ['grid_worker', 35],
    ['member', 20],
    ['secretary', 20],
  ]);
  const consent = random.weighted<WishConsent>([
    ['none', 25],
    ['anonymous', 40],
    ['named', 35],
  ]);
  let outcome = random.weighted<WishOutcome>([
    ['cancelled', 5],
    ['collected', 3],
    ['claimed', 7],
    ['fulfilled', 5],
    ['confirmed', 30],
    ['showcased', 50],
  ]);
  if (outcome === 'showcased' && consent === 'none') outcome = 'confirmed';
  return {
    collector,
    registered: collector === 'self' || random.chance(0.5),
    consent,
    outcome,
    cancel:
      outcome === 'cancelled'
        ? {
            at: random.chance(0.6) ? 'collected' : 'claimed',
            grounds: random.chance(0.65) ? 'withdrawn' : 'invalid',
          }
        : null,
    release: random.chance(0.08),
    reopen: random.chance(0.06),
  };
};

// ── the scheduler: tasks in business-time order ─────────────────────────────────────────────────

interface Issued {
  readonly command: DemoCommand;
  readonly afterwards?: (outcome: DemoOutcome) => void;
}

interface Task {
  readonly at: number;
  readonly seq: number;
  readonly run: (at: number) => Issued | null;
}

/** A binary min-heap on (time, insertion order): equal times keep the order they were scheduled in. */
const createAgenda = () => {
  const heap: Task[] = [];
  let seq = 0;
  const before = (a: Task, b: Task) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
  return {
    get size() {
      return heap.length;
    },
    push(at: number, run: Task['run']) {
      heap.push({ at, seq: seq++, run });
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!before(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    },
    pop(): Task | undefined {
      const top = heap[0];
      const last = heap.pop();
      if (heap.length > 0 && last !== undefined) {
        heap[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
          if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
          if (m === i) break;
          [heap[i], heap[m]] = [heap[m]!, heap[i]!];
          i = m;
        }
      }
      return top;
    },
  };
};

// ── the items as the script follows them ─────────────────────────────────────────────────────────

interface ProblemItem {
  readonly problemId: string;
  readonly plan: ProblemPlan;
  readonly grade: ProblemGrade;
  readonly topic: ProblemTopic;
  readonly solicitedAt: number;
  /** Who can give the raiser's verdict, if anyone. */
  readonly raiser: OrgPerson | null;
  state: ProblemState;
  claimant: Actor | null;
  escalationsLeft: number;
  round: number;
  readonly seen: Set<string>;
}

interface WishItem {
  readonly wishId: string;
  readonly plan: WishPlan;
  readonly category: WishCategory;
  readonly theme: WishTheme;
  readonly unit: OrgUnit;
  /** The registered resident whose wish it is, if they are registered. */
  readonly wisher: OrgPerson | null;
  readonly wisherDetails: { readonly name: string; readonly phone: string | null; readonly address: string | null };
  readonly collector: Actor | null;
  state: WishState;
  claimant: OrgPerson | null;
  released: boolean;
  round: number;
  readonly seen: Set<string>;
}

const increment = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

const communityOf = (unit: OrgUnit): OrgUnit => (unit.kind === 'grid' ? unit.parent! : unit);
const streetOf = (unit: OrgUnit): OrgUnit =>
  communityOf(unit).kind === 'community' ? (communityOf(unit).parent as OrgUnit) : unit;

/** The campaign as a script of commands; see the module comment. */
export function* demoScript(options: DemoOptions = {}): DemoScript {
  const o = resolveDemoOptions(options);
  const random = createRandom(o.seed);
  const people = createPeopleFactory(random);
  const idOf = (kind: string, key: string | number): string => uuidFromName(`banshishi-demo/${o.seed}/${kind}/${key}`);
  const population = planPopulation(o.scale);
  const org = planOrganisation(population, random, people, idOf);
  const district = org.district;
  const unitsById = new Map(org.units.map((u) => [u.unitId, u]));
  const untilMs = startOfDay(o.until) + dayMs - 1;
  const campaignStart = startOfDay(o.period.from) + 9 * 3_600_000;

  // ── tallies for the manifest ──
  const byType: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  const streams = new Set<string>();
  let commands = 0;
  let totalEvents = 0;
  const openClaims = new Map<string, number>();
  const problems: ProblemItem[] = [];
  const wishes: WishItem[] = [];
  const problemsById = new Map<string, ProblemItem>();
  const wishesById = new Map<string, WishItem>();
  const claimingMembers: OrgPerson[] = [];
  const claimedOnce = new Set<string>();
  const raisingResidents: OrgPerson[] = [];
  const raisingEnterprises: OrgPerson[] = [];

  // One hash per run, then a counter: a correlation id per command without a SHA-256 per command.
  const correlationPrefix = idOf('correlation', 'run').slice(0, 24);
  const correlationIdOf = (n: number) => `${correlationPrefix}${n.toString(16).padStart(12, '0')}`;
  const make = <K extends DemoLifecycleName>(lifecycle: K, command: CommandOf[K]): DemoCommand => {
    const n = commands++;
    const streamIdOf = demoLifecycles[lifecycle].streamIdOf as (c: Command) => string;
    return {
      lifecycle,
      command,
      streamId: streamIdOf(command),
      idempotencyKey: `banshishi-demo/${o.seed}/command/${n}`,
      correlationId: correlationIdOf(n),
    } as DemoCommand;
  };

  const record = (issued: DemoCommand, outcome: DemoOutcome): void => {
    if (outcome.events.length > 0) streams.add(issued.streamId);
    totalEvents += outcome.events.length;
    increment(byCategory, issued.lifecycle, outcome.events.length);
    for (const event of outcome.events) increment(byType, event.type);
    if (issued.lifecycle === 'problem') {
      const item = problemsById.get(issued.command.data.problemId)!;
      item.state = outcome.state as ProblemState;
      for (const event of outcome.events) item.seen.add(event.type);
    } else if (issued.lifecycle === 'wish') {
      const item = wishesById.get(issued.command.data.wishId)!;
      item.state = outcome.state as WishState;
      for (const event of outcome.events) {
        item.seen.add(event.type);
        for (const { memberId, delta } of openClaimDelta(event as unknown as WishEvent))
          openClaims.set(memberId, (openClaims.get(memberId) ?? 0) + delta);
      }
    }
  };

  function* send(command: DemoCommand): Generator<DemoCommand, DemoOutcome, DemoOutcome> {
    const outcome = yield command;
    record(command, outcome);
    return outcome;
  }

  // ── actors ──
  const system: Actor = { personId: 'banshishi-demo', role: 'system' };
  const actorOf = (p: OrgPerson): Actor => ({ personId: p.personId, role: p.role, unitId: p.unit.unitId });
  const office = actorOf(org.dispatcher);
  const assessor = actorOf(org.assessor);
  const meta = (actor: Actor, at: number) => ({ actor, now: businessTime(at) });
  /** The secretary of each unit now: replaced mid-campaign for a few units (换届). */
  const secretaryOf = new Map<string, OrgPerson>(org.secretaries.map((s) => [s.unit.unitId, s]));
  const secretaryActor = (unit: OrgUnit): Actor => actorOf(secretaryOf.get(unit.unitId)!);

  // ── 1. the directory, top down, in the weeks before the campaign ──
  const registerUnit = (u: OrgUnit, actor: Actor, at: number) =>
    make('unit', {
      type: 'registerUnit',
      data: { unitId: u.unitId, name: u.name, kind: u.kind, parentId: u.parent?.unitId ?? null },
      metadata: meta(actor, at),
    });
  const registerPerson = (p: OrgPerson, actor: Actor, at: number) => {
    people.record('phones', p.phone);
    if (p.idNumber !== undefined) people.record('idNumbers', p.idNumber);
    return make('person', {
      type: 'registerPerson',
      data: {
        personId: p.personId,
        kind: p.kind,
        name: p.name,
        phone: p.phone,
        ...(p.idNumber === undefined ? {} : { idNumber: p.idNumber }),
      } as RegisterPerson['data'],
      metadata: meta(actor, at),
    });
  };
  const grantRole = (p: OrgPerson, actor: Actor, at: number) =>
    make('person', {
      type: 'grantRole',
      data: { personId: p.personId, role: p.role, unitId: p.unit.unitId },
      metadata: meta(actor, at),
    });

  const everyone = [
    ...org.secretaries,
    org.auditor,
    ...org.handlers,
    ...org.gridWorkers,
    ...org.members,
    ...org.residents,
    ...org.enterprises,
  ];
  const directoryCommands = org.units.length + 2 * (everyone.length + 2);
  const setupStart = campaignStart - 20 * dayMs;
  const step = Math.max(1000, Math.floor((19 * dayMs) / directoryCommands / 1000) * 1000);
  let clock = setupStart;
  const tick = () => {
    clock += step;
    return clock;
  };

  // The district and its office are the only things done as `system`: from then on the office acts.
  yield* send(registerUnit(district, system, tick()));
  for (const p of [org.dispatcher, org.assessor]) {
    yield* send(registerPerson(p, system, tick()));
    yield* send(grantRole(p, system, tick()));
  }
  for (const u of org.units.slice(1)) yield* send(registerUnit(u, office, tick()));
  for (const p of everyone) {
    yield* send(registerPerson(p, office, tick()));
    yield* send(grantRole(p, office, tick()));
  }

  // ── 2. the campaign ──
  const campaignId = idOf('campaign', 'jiaozhou');
  const targets = {
    problemsSolved: Math.max(1, Math.round(population.problems * 0.6)),
    wishesFulfilled: Math.max(1, Math.round(population.wishes * 0.6)),
  };
  const launched = yield* send(
    make('campaign', {
      type: 'launchCampaign',
      data: { campaignId, name: campaignName, districtId: district.unitId, period: o.period, targets },
      metadata: meta(office, campaignStart),
    }),
  );
  const claimLimit = (launched.state as { quotas?: { maxOpenWishClaimsPerMember: number } }).quotas
    ?.maxOpenWishClaimsPerMember;
  if (claimLimit === undefined) throw new Error('demo: the campaign did not launch');

  // ── 3. the campaign's months, as an agenda of tasks ──
  const agenda = createAgenda();
  const schedule = (at: number, run: Task['run']) => {
    if (at <= untilMs) agenda.push(at, run);
  };
  /** A time `minDays`…`maxDays` days after `from`, within the given local hours. */
  const later = (from: number, minDays: number, maxDays: number, hours: readonly [number, number] = [8.5, 17.5]) => {
    const day = midnightOf(from) + random.int(minDays, maxDays) * dayMs;
    const at = day + Math.floor((hours[0] + random.next() * (hours[1] - hours[0])) * 3_600_000);
    return at > from ? at : from + random.int(10, 120) * 60_000;
  };
  const atDay = (date: string, hour: number) => startOfDay(date) + hour * 3_600_000;

  const midCampaign = Math.min(untilMs - dayMs, campaignStart + Math.floor((untilMs - campaignStart) * 0.45));
  schedule(midCampaign, (at) => ({
    command: make('campaign', {
      type: 'adjustCampaignTargets',
      data: {
        campaignId,
        reason: campaignAdjustmentReason,
        targets: { wishesFulfilled: Math.round(targets.wishesFulfilled * 1.1) + 1 },
      },
      metadata: meta(office, at),
    }),
  }));

  // 换届: a few communities get a new secretary; the old one keeps the claims already made.
  const handovers = random.shuffle(org.communities).slice(0, Math.max(1, Math.round(org.communities.length * 0.02)));
  handovers.forEach((community, i) => {
    const start = campaignStart + Math.floor((untilMs - campaignStart) * 0.4) + i * 3_600_000;
    const successor: OrgPerson = {
      personId: idOf('person', `successor/${i}`),
      kind: 'official',
      name: people.name(false),
      phone: people.phone(),
      role: 'secretary',
      unit: community,
    };
    schedule(start, (at) => ({
      command: registerPerson(successor, office, at),
      afterwards: () =>
        schedule(start + 60_000, (at2) => ({
          command: grantRole(successor, office, at2),
          afterwards: () => {
            const predecessor = secretaryOf.get(community.unitId)!;
            secretaryOf.set(community.unitId, successor);
            schedule(start + 120_000, (at3) => ({
              command: make('person', {
                type: 'revokeRole',
                data: {
                  personId: predecessor.personId,
                  role: 'secretary',
                  unitId: community.unitId,
                  reason: '换届',
                },
                metadata: meta(office, at3),
              }),
            }));
          },
        })),
    }));
  });

  const spawnWindow = [campaignStart + 30 * 60_000, untilMs - 2 * dayMs] as const;
  const spawnTime = (index: number, coverage: boolean): number => {
    if (coverage) {
      // Coverage items start in the first quarter and a few hours apart, so their whole plan fits.
      return campaignStart + index * 5 * 3_600_000 + random.int(0, 3_000_000);
    }
    return spawnWindow[0] + Math.floor(random.next() * (spawnWindow[1] - spawnWindow[0]));
  };

  // ── problems ──
  const personRef = (p: OrgPerson): PersonRef => ({
    personId: p.personId,
    name: p.name,
    role: p.role,
    unitId: p.unit.unitId,
    unitName: p.unit.name,
  });

  const solicitProblem = (index: number, plan: ProblemPlan, at: number): Issued => {
    const problemId = idOf('problem', index);
    let unit: OrgUnit;
    let actor: Actor;
    let raiser: ProblemRaiser | undefined;
    let raiserPerson: OrgPerson | null = null;
    let contact: { name: string; phone: string } | null = null;
    const topic = plan.channel === 'enterprise' ? random.pick(enterpriseTopics) : random.pick(residentTopics);
    let place: string;
    switch (plan.channel) {
      case 'resident': {
        const resident = random.pick(org.residents);
        unit = resident.unit;
        actor = actorOf(resident);
        raiserPerson = resident;
        raiser = {
          kind: 'resident',
          personId: resident.personId,
          name: resident.name,
          phone: resident.phone,
          address: people.record('addresses', resident.address!),
        };
        contact = resident;
        if (raisingResidents.length < 5) raisingResidents.push(resident);
        place = communityOf(unit).name;
        break;
      }
      case 'grid_visit': {
        unit = random.pick(org.grids);
        actor = actorOf(unit.gridWorkers[0]!);
        const resident = unit.residents.length > 0 && random.chance(0.7) ? random.pick(unit.residents) : null;
        if (resident !== null) {
          raiserPerson = resident;
          raiser = {
            kind: 'resident',
            personId: resident.personId,
            name: resident.name,
            phone: resident.phone,
            address: people.record('addresses', resident.address!),
          };
          contact = resident;
        }
        place = communityOf(unit).name;
        break;
      }
      case 'enterprise': {
        const enterprise = random.pick(org.enterprises);
        unit = enterprise.unit;
        actor = actorOf(enterprise);
        raiserPerson = enterprise;
        contact = { name: people.name(true), phone: people.record('phones', people.phone()) };
        raiser = {
          kind: 'enterprise',
          enterpriseName: enterprise.name,
          enterpriseId: enterprise.personId,
          contactName: contact.name,
          contactPhone: contact.phone,
        };
        if (raisingEnterprises.length < 3) raisingEnterprises.push(enterprise);
        place = enterprise.name;
        break;
      }
      case 'suggestion_drive': {
        unit = random.pick(
          random.weighted<readonly OrgUnit[]>([
            [org.streets, 1],
            [org.communities, 4],
            [org.grids, 2],
          ]),
        );
        actor = secretaryActor(unit);
        place = communityOf(unit).name;
        break;
      }
      case 'supervision_case': {
        unit = random.chance(0.5) ? random.pick(org.communities) : random.pick(org.grids);
        actor = office;
        if (random.chance(0.5)) {
          const community = communityOf(unit);
          contact = { name: people.name(true), phone: people.record('phones', people.phone()) };
          raiser = {
            kind: 'resident',
            name: contact.name,
            phone: contact.phone,
            address: people.record('addresses', people.address(streetOf(unit).name, community.name, unit.urban)),
          };
        }
        place = communityOf(unit).name;
        break;
      }
    }
    const title = random.pick(topic.titles).replace('{place}', place).replace('{enterprise}', place);
    const grade = random.weighted(topic.grades);
    const description =
      contact === null
        ? undefined
        : people.record('freeText', `${title}。联系人：${contact.name}，电话：${contact.phone}`);
    const item: ProblemItem = {
      problemId,
      plan,
      grade,
      topic,
      solicitedAt: at,
      raiser: raiserPerson,
      state: { status: 'none' },
      claimant: null,
      escalationsLeft: plan.escalations,
      round: 0,
      seen: new Set(),
    };
    problems.push(item);
    problemsById.set(problemId, item);
    return {
      command: make('problem', {
        type: 'solicitProblem',
        data: {
          problemId,
          unitId: unit.unitId,
          source: plan.channel,
          grade,
          title,
          category: topic.category,
          ...(description === undefined ? {} : { description }),
          ...(raiser === undefined ? {} : { raiser }),
        },
        metadata: meta(actor, at),
      }),
      afterwards: () => afterSolicit(item, at),
    };
  };

  const existing = (item: ProblemItem) => {
    if (item.state.status === 'none') throw new Error(`demo: problem ${item.problemId} was never solicited`);
    return item.state;
  };

  const problemCommand = (item: ProblemItem, command: Omit<ProblemCommand, 'data'> & { data: object }): DemoCommand =>
    make('problem', { ...command, data: { problemId: item.problemId, ...command.data } } as ProblemCommand);

  const afterSolicit = (item: ProblemItem, from: number): void => {
    const { plan } = item;
    if (plan.outcome === 'rejected') {
      schedule(later(from, 0, 2), (at) => {
        const problem = existing(item);
        const byOffice = random.chance(0.6);
        const unit = unitsById.get(problem.unitId)!;
        const earlier = problems.length > 1 ? problems[random.int(0, problems.length - 2)]! : null;
        const ground =
          earlier !== null && earlier !== item && random.chance(0.4)
            ? 'duplicate'
            : random.chance(0.6)
              ? 'out_of_scope'
              : 'other';
        return {
          command: problemCommand(item, {
            type: 'rejectProblem',
            data: {
              ground,
              reason: rejectionReasons[ground],
              ...(ground === 'duplicate' ? { duplicateOf: earlier!.problemId } : {}),
            },
            metadata: meta(byOffice ? office : secretaryActor(unit), at),
          }),
        };
      });
      return;
    }
    if (plan.assign !== null) {
      schedule(later(from, 0, 1), (at) => {
        const unit = unitsById.get(existing(item).unitId)!;
        const to =
          plan.assign === 'street' && unit.kind !== 'street' && unit.kind !== 'district'
            ? streetOf(unit)
            : (org.departments.find((d) => d.topics.includes(item.topic.category)) ?? random.pick(org.departments));
        return {
          command: problemCommand(item, {
            type: 'assignProblem',
            data: { toUnitId: to.unitId, note: random.pick(assignmentNotes) },
            metadata: meta(office, at),
          }),
          afterwards: () => planClaim(item, at),
        };
      });
      return;
    }
    planClaim(item, from);
  };

  const superviseOverdueAt = (item: ProblemItem, at: number) =>
    schedule(at, (now) => ({
      command: problemCommand(item, {
        type: 'superviseProblem',
        data: { ground: 'overdue', note: random.pick(supervisionNotes.overdue) },
        metadata: meta(office, now),
      }),
    }));

  const planClaim = (item: ProblemItem, from: number): void => {
    const { plan } = item;
    const window = responseWindowDays[item.grade];
    const firstClaim = item.claimant === null && item.escalationsLeft === plan.escalations;
    const late = plan.lateClaim && firstClaim;
    const stopsUnclaimed = plan.outcome === 'solicited' || plan.outcome === 'assigned';
    let claimAt: number;
    if (late) {
      const superviseAt = Math.max(from + 3_600_000, atDay(addDays(localDate(item.solicitedAt), window + 1), 9.5));
      superviseOverdueAt(item, superviseAt);
      claimAt = later(superviseAt, 1, 4);
    } else {
      claimAt = later(from, 0, Math.max(0, window - 1));
    }
    if (stopsUnclaimed) return;
    schedule(claimAt, (at) => {
      const problem = existing(item);
      const assigned = problem.assignedTo === null ? undefined : unitsById.get(problem.assignedTo);
      const actor =
        assigned?.kind === 'department'
          ? actorOf(random.pick(assigned.handlers))
          : secretaryActor(unitsById.get(problem.unitId)!);
      const promiseDays = { minor: [1, 5], small: [3, 15], medium: [10, 30], major: [30, 90] }[item.grade];
      const promisedBy = addDays(localDate(at), random.int(promiseDays[0]!, promiseDays[1]!));
      return {
        command: problemCommand(item, {
          type: 'claimProblem',
          data: { plan: random.pick(item.topic.plans), promisedBy },
          metadata: meta(actor, at),
        }),
        afterwards: () => {
          item.claimant = actor;
          afterClaim(item, at, promisedBy);
        },
      };
    });
  };

  const noteAt = (item: ProblemItem, at: number, notes: readonly string[]) =>
    schedule(at, (now) => ({
      command: problemCommand(item, {
        type: 'noteProblemProgress',
        data: { note: random.pick(notes) },
        metadata: meta(item.claimant!, now),
      }),
    }));

  const afterClaim = (item: ProblemItem, from: number, promisedBy: string): void => {
    const { plan } = item;
    const unit = unitsById.get(existing(item).unitId)!;
    if (item.escalationsLeft > 0 && unit.parent !== null) {
      schedule(later(from, 1, 5), (at) => ({
        command: problemCommand(item, {
          type: 'escalateProblem',
          data: { reason: random.pick(escalationReasons) },
          metadata: meta(item.claimant!, at),
        }),
        afterwards: () => {
          item.escalationsLeft -= 1;
          item.claimant = null;
          planClaim(item, at);
        },
      }));
      return;
    }
    const promisedEnd = atDay(promisedBy, 17.5);
    let solveAt: number;
    if (plan.lateSolve) {
      const superviseAt = atDay(addDays(promisedBy, 1), 10);
      superviseOverdueAt(item, superviseAt);
      solveAt = later(superviseAt, 1, 8);
    } else {
      solveAt = from + 2 * 3_600_000 + Math.floor(random.next() * Math.max(0, promisedEnd - from - 2 * 3_600_000));
    }
    const notes = Array.from({ length: plan.notes }, () => from + Math.floor(random.next() * (solveAt - from))).sort(
      (a, b) => a - b,
    );
    for (const at of notes) noteAt(item, at, item.topic.notes);
    if (plan.outcome === 'claimed' && !plan.reopen) return;
    scheduleSolve(item, solveAt);
  };

  const scheduleSolve = (item: ProblemItem, at: number) =>
    schedule(at, (now) => ({
      command: problemCommand(item, {
        type: 'solveProblem',
        data: {
          summary: random.pick(item.topic.summaries),
          evidence: [
            {
              kind: 'photo',
              uri: `https://demo.banshishi.cn/evidence/${item.problemId}/${item.round + 1}.jpg`,
              caption: random.pick(evidenceCaptions),
            },
          ],
        },
        metadata: meta(item.claimant!, now),
      }),
      afterwards: () => afterSolve(item, now),
    }));

  const raiserActor = (item: ProblemItem): Actor | null => {
    const problem = existing(item);
    if (item.raiser === null || problem.raiser === null || problem.raiser.personId === null) return null;
    return actorOf(item.raiser);
  };

  const evaluate = (
    item: ProblemItem,
    at: number,
    how: { by: 'raiser' | 'office'; verdict: ProblemVerdict; unreachable?: boolean },
    andThen?: (now: number) => void,
  ) =>
    schedule(at, (now) => {
      const raiser = raiserActor(item);
      const byRaiser = how.by === 'raiser' && raiser !== null;
      if (!byRaiser) item.seen.add('assessment');
      const comment =
        byRaiser && random.chance(0.5)
          ? people.record('freeText', random.pick(verdictComments[how.verdict]))
          : undefined;
      return {
        command: problemCommand(item, {
          type: 'evaluateProblem',
          data: {
            kind: byRaiser ? (raiser.role === 'enterprise' ? 'enterprise' : 'resident') : 'assessment',
            verdict: how.verdict,
            ...(comment === undefined ? {} : { comment }),
            ...(how.unreachable === true ? { raiserUnreachable: true } : {}),
          },
          metadata: meta(byRaiser ? raiser : assessor, now),
        }),
        afterwards: () => andThen?.(now),
      };
    });

  const afterSolve = (item: ProblemItem, from: number): void => {
    const { plan } = item;
    const firstRound = item.round === 0;
    if (plan.outcome === 'solved' && !(plan.reopen && firstRound)) return;
    const at = later(from, 1, 6, [9, 21]);
    const askable = raiserActor(item) !== null;
    const happy = (): ProblemVerdict => (random.chance(0.8) ? 'satisfied' : 'basically_satisfied');
    if (plan.reopen && firstRound) {
      evaluate(item, at, { by: 'raiser', verdict: 'unsatisfied' }, (now) => rework(item, now));
    } else if (askable && plan.unreachable) {
      evaluate(item, at, { by: 'office', verdict: happy(), unreachable: true });
    } else if (askable && plan.assessmentFirst && firstRound) {
      evaluate(item, at, { by: 'office', verdict: happy() }, (now) =>
        evaluate(item, later(now, 0, 3, [9, 21]), { by: 'raiser', verdict: happy() }),
      );
    } else {
      evaluate(item, at, { by: 'raiser', verdict: happy() });
    }
  };

  const rework = (item: ProblemItem, from: number): void => {
    item.round += 1;
    if (random.chance(0.6))
      schedule(later(from, 1, 2), (at) => ({
        command: problemCommand(item, {
          type: 'superviseProblem',
          data: { ground: 'reopened', note: random.pick(supervisionNotes.reopened) },
          metadata: meta(office, at),
        }),
      }));
    const noteTime = later(from, 2, 3);
    noteAt(item, noteTime, reworkNotes);
    if (item.plan.outcome === 'claimed') return;
    scheduleSolve(item, later(noteTime, 1, 8));
  };

  // ── wishes ──
  const freshMembers = random.shuffle(org.members);
  const pickMember = (exclude: readonly (string | undefined)[]): OrgPerson | null => {
    const fits = (m: OrgPerson) => !exclude.includes(m.personId) && (openClaims.get(m.personId) ?? 0) < claimLimit;
    // Members who have not claimed yet go first: the campaign asks every member to claim one (领梦).
    while (freshMembers.length > 0) {
      const m = freshMembers[freshMembers.length - 1]!;
      if (!fits(m)) break;
      freshMembers.pop();
      return m;
    }
    for (let attempt = 0; attempt < 40; attempt++) {
      const m = random.pick(org.members);
      if (fits(m)) return m;
    }
    return null;
  };
  const wishCommand = (item: WishItem, command: Omit<WishCommand, 'data'> & { data: object }): DemoCommand =>
    make('wish', { ...command, data: { wishId: item.wishId, ...command.data } } as WishCommand);

  const collectWish = (index: number, plan: WishPlan, at: number): Issued => {
    const wishId = idOf('wish', index);
    const wisher = plan.registered ? random.pick(org.residents) : null;
    const unit = wisher?.unit ?? (random.chance(0.8) ? random.pick(org.grids) : random.pick(org.communities));
    const details = wisher
      ? { name: wisher.name, phone: wisher.phone, address: people.record('addresses', wisher.address!) }
      : {
          name: people.name(true),
          phone: random.chance(0.9) ? people.record('phones', people.phone()) : null,
          address: random.chance(0.8)
            ? people.record('addresses', people.address(streetOf(unit).name, communityOf(unit).name, unit.urban))
            : null,
        };
    let collector: Actor | null;
    if (plan.collector === 'self' && wisher !== null) collector = null;
    else if (plan.collector === 'grid_worker' && unit.kind === 'grid') collector = actorOf(unit.gridWorkers[0]!);
    else if (plan.collector === 'member') collector = actorOf(random.pick(org.members));
    else collector = secretaryActor(communityOf(unit));
    const category = random.weighted<WishCategory>([
      ['study', 25],
      ['life', 55],
      ['work', 20],
    ]);
    const theme = random.pick(wishThemes[category]);
    const item: WishItem = {
      wishId,
      plan,
      category,
      theme,
      unit,
      wisher,
      wisherDetails: details,
      collector,
      state: { status: 'none' },
      claimant: null,
      released: false,
      round: 0,
      seen: new Set(),
    };
    wishes.push(item);
    wishesById.set(wishId, item);
    return {
      command: wishCommand(item, {
        type: 'collectWish',
        data: {
          unitId: unit.unitId,
          category,
          description: theme.description,
          consent: plan.consent,
          wisher: {
            name: details.name,
            ...(wisher === null ? {} : { personId: wisher.personId }),
            ...(details.phone === null ? {} : { phone: details.phone }),
            ...(details.address === null ? {} : { address: details.address }),
          },
        },
        metadata: meta(collector ?? actorOf(wisher!), at),
      }),
      afterwards: () => afterCollect(item, at),
    };
  };

  /** The wisher in person, or the collector on their behalf. */
  const wisherVoice = (item: WishItem): Actor => (item.wisher !== null ? actorOf(item.wisher) : item.collector!);

  const scheduleCancel = (item: WishItem, at: number) =>
    schedule(at, (now) => {
      const { grounds } = item.plan.cancel!;
      let actor: Actor;
      if (grounds === 'withdrawn') actor = wisherVoice(item);
      else if (random.chance(0.5)) actor = office;
      else actor = secretaryActor(unitsById.get(item.collector?.unitId ?? item.unit.unitId)!);
      const reason = grounds === 'invalid' || random.chance(0.5) ? cancelReasons[grounds] : undefined;
      return {
        command: wishCommand(item, {
          type: 'cancelWish',
          data: { grounds, ...(reason === undefined ? {} : { reason }) },
          metadata: meta(actor, now),
        }),
      };
    });

  const afterCollect = (item: WishItem, from: number): void => {
    const { plan } = item;
    if (plan.cancel?.at === 'collected') scheduleCancel(item, later(from, 0, 5, [8, 21]));
    else if (plan.outcome !== 'collected') scheduleClaim(item, later(from, 0, 8, [8, 21]));
  };

  const scheduleClaim = (item: WishItem, at: number): void =>
    schedule(at, (now) => {
      const member = pickMember([item.collector?.personId, item.wisher?.personId, item.claimant?.personId]);
      if (member === null) {
        // Every member in reach holds as many open claims as allowed: the wish waits a few days.
        scheduleClaim(item, later(now, 1, 3, [8, 21]));
        return null;
      }
      return {
        command: wishCommand(item, { type: 'claimWish', data: {}, metadata: meta(actorOf(member), now) }),
        afterwards: () => {
          item.claimant = member;
          if (!claimedOnce.has(member.personId)) {
            claimedOnce.add(member.personId);
            if (claimingMembers.length < 10) claimingMembers.push(member);
          }
          afterClaimWish(item, now);
        },
      };
    });

  const afterClaimWish = (item: WishItem, from: number): void => {
    const { plan } = item;
    if (plan.release && !item.released) {
      schedule(later(from, 1, 5, [8, 21]), (at) => ({
        command: wishCommand(item, {
          type: 'releaseWish',
          data: { reason: random.pick(releaseReasons) },
          metadata: meta(actorOf(item.claimant!), at),
        }),
        afterwards: () => {
          item.released = true;
          scheduleClaim(item, later(at, 0, 3, [8, 21]));
        },
      }));
    } else if (plan.cancel?.at === 'claimed') {
      scheduleCancel(item, later(from, 1, 5, [8, 21]));
    } else if (plan.outcome !== 'claimed') {
      scheduleFulfil(item, later(from, 1, 15, [8, 21]));
    }
  };

  const scheduleFulfil = (item: WishItem, at: number): void =>
    schedule(at, (now) => ({
      command: wishCommand(item, {
        type: 'fulfilWish',
        data: {
          summary: item.theme.summary,
          evidence: [`https://demo.banshishi.cn/evidence/${item.wishId}/${item.round + 1}.jpg`],
        },
        metadata: meta(actorOf(item.claimant!), now),
      }),
      afterwards: () => {
        if (item.plan.outcome === 'fulfilled' && !(item.plan.reopen && item.round === 0)) return;
        scheduleConfirm(item, later(now, 0, 5, [8, 21]));
      },
    }));

  const scheduleConfirm = (item: WishItem, at: number): void =>
    schedule(at, (now) => {
      const satisfied = !(item.plan.reopen && item.round === 0);
      const comments = satisfied ? wishConfirmComments.satisfied : wishConfirmComments.unsatisfied;
      const comment = random.chance(0.5) ? people.record('freeText', random.pick(comments)) : undefined;
      return {
        command: wishCommand(item, {
          type: 'confirmWish',
          data: { verdict: satisfied ? 'satisfied' : 'unsatisfied', ...(comment === undefined ? {} : { comment }) },
          metadata: meta(wisherVoice(item), now),
        }),
        afterwards: () => {
          if (!satisfied) {
            item.round += 1;
            if (item.plan.outcome !== 'claimed') scheduleFulfil(item, later(now, 2, 8, [8, 21]));
          } else if (item.plan.outcome === 'showcased') {
            scheduleShowcase(item, later(now, 1, 10));
          }
        },
      };
    });

  const scheduleShowcase = (item: WishItem, at: number): void =>
    schedule(at, (now) => {
      const told = `${communityOf(item.unit).name}：${item.theme.story}`;
      const story = revealsWisher(told, item.wisherDetails) ? item.theme.story : told;
      return {
        command: wishCommand(item, {
          type: 'showcaseWish',
          data: { story },
          metadata: meta(random.chance(0.5) ? office : actorOf(item.claimant!), now),
        }),
      };
    });

  // ── spawn every item ──
  for (let i = 0; i < population.problems; i++) {
    const coverage = i < coverageProblems.length;
    const plan = coverage ? coverageProblems[i]! : randomProblemPlan(random);
    schedule(spawnTime(i, coverage), (at) => solicitProblem(i, plan, at));
  }
  for (let i = 0; i < population.wishes; i++) {
    const coverage = i < coverageWishes.length;
    const plan = coverage ? coverageWishes[i]! : randomWishPlan(random);
    schedule(spawnTime(i, coverage) + 1_800_000, (at) => collectWish(i, plan, at));
  }

  for (let task = agenda.pop(); task !== undefined; task = agenda.pop()) {
    const issued = task.run(task.at);
    if (issued === null) continue;
    const outcome = yield* send(issued.command);
    issued.afterwards?.(outcome);
  }

  // ── the manifest ──
  const untilDate = o.until;
  const count = <T>(items: readonly T[], key: (t: T) => string | null) => {
    const out: Record<string, number> = {};
    for (const item of items) {
      const k = key(item);
      if (k !== null) increment(out, k);
    }
    return out;
  };
  const had = <T extends { seen: Set<string> }>(items: readonly T[], type: string) =>
    items.filter((i) => i.seen.has(type)).length;
  const overdue = (item: ProblemItem): boolean => {
    const s = item.state;
    if (s.status === 'claimed') return s.claim !== null && untilDate > s.claim.promisedBy;
    if (s.status === 'solicited' || s.status === 'assigned')
      return untilDate > addDays(localDate(item.solicitedAt), responseWindowDays[s.grade]);
    return false;
  };
  const unitsByKind = count(org.units, (u) => u.kind) as Record<UnitKind, number>;
  const sorted = (set: ReadonlySet<string>) => [...set];
  const secretaryRefs = (['district', 'street', 'department', 'community', 'grid'] as const).flatMap((kind) => {
    const s = org.secretaries.find((p) => p.unit.kind === kind);
    return s === undefined ? [] : [personRef(s)];
  });

  return {
    seed: o.seed,
    scale: o.scale,
    period: o.period,
    until: o.until,
    population,
    commands,
    streams: streams.size,
    events: { total: totalEvents, byType, byCategory },
    units: { total: org.units.length, byKind: unitsByKind },
    campaign: { campaignId, streamId: `campaign-${campaignId}`, districtId: district.unitId, name: campaignName },
    problems: {
      total: problems.length,
      byStatus: count(problems, (p) => p.state.status),
      byGrade: count(problems, (p) => p.grade),
      bySource: count(problems, (p) => p.plan.channel),
      assigned: had(problems, 'ProblemAssigned'),
      escalated: had(problems, 'ProblemEscalated'),
      reopened: had(problems, 'ProblemReopened'),
      supervised: had(problems, 'ProblemSupervised'),
      withProgressNotes: had(problems, 'ProblemProgressNoted'),
      assessed: had(problems, 'assessment'),
      overdueAtEnd: problems.filter(overdue).length,
    },
    wishes: {
      total: wishes.length,
      byStatus: count(wishes, (w) => w.state.status),
      byConsent: count(wishes, (w) => w.plan.consent),
      byCategory: count(wishes, (w) => w.category),
      released: had(wishes, 'WishReleased'),
      reopened: had(wishes, 'WishReopened'),
      showcased: {
        anonymous: wishes.filter((w) => w.seen.has('WishShowcased') && w.plan.consent === 'anonymous').length,
        named: wishes.filter((w) => w.seen.has('WishShowcased') && w.plan.consent === 'named').length,
      },
      cancelled: {
        withdrawn: wishes.filter((w) => w.seen.has('WishCancelled') && w.plan.cancel?.grounds === 'withdrawn').length,
        invalid: wishes.filter((w) => w.seen.has('WishCancelled') && w.plan.cancel?.grounds === 'invalid').length,
      },
    },
    keyPeople: {
      dispatcher: personRef(org.dispatcher),
      assessor: personRef(org.assessor),
      auditor: personRef(org.auditor),
      secretaries: secretaryRefs,
      departmentHandlers: org.handlers.slice(0, 3).map(personRef),
      gridWorkers: org.gridWorkers.slice(0, 3).map(personRef),
      members: claimingMembers.map(personRef),
      residents: raisingResidents.map(personRef),
      enterprises: raisingEnterprises.map(personRef),
    },
    personal: {
      names: sorted(people.personal.names),
      phones: sorted(people.personal.phones),
      idNumbers: sorted(people.personal.idNumbers),
      addresses: sorted(people.personal.addresses),
      freeText: sorted(people.personal.freeText),
    },
  };
}
