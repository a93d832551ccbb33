// What every planner shares: the command a script issues and what the deciders made of it, and the
// planning context — the seeded draws, the organisation, the clock, the actors and the agenda — that the
// orchestrator builds once per run and hands to each lifecycle's planner. Every draw comes from the one
// `random`, so the order in which planners draw is part of the history: see `demoScript`.
import {
  type Actor,
  type CampaignCommand,
  type Command,
  type NewEvent,
  type PairingCommand,
  type PersonCommand,
  type ProblemCommand,
  type ServiceCommand,
  type UnitCommand,
  uuidFromName,
  type VisitCommand,
  type WishCommand,
} from '@banshishi/core';
import { createAgenda, type Task } from './agenda.js';
import { businessTime, dayMs, midnightOf, startOfDay } from './clock.js';
import { type DemoLifecycleName, demoLifecycles } from './lifecycles.js';
import type { PersonRef } from './manifest.js';
import type { ResolvedDemoOptions } from './options.js';
import { type Organisation, type OrgPerson, type OrgUnit, planOrganisation, planPopulation } from './organisation.js';
import { createPeopleFactory } from './people.js';
import { createRandom } from './random.js';

interface CommandOf {
  readonly unit: UnitCommand;
  readonly person: PersonCommand;
  readonly campaign: CampaignCommand;
  readonly problem: ProblemCommand;
  readonly wish: WishCommand;
  readonly pairing: PairingCommand;
  readonly visit: VisitCommand;
  readonly service: ServiceCommand;
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

export const increment = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** How many items have each key; items whose key is null are not counted. */
export const countBy = <T>(items: readonly T[], key: (t: T) => string | null) => {
  const out: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    if (k !== null) increment(out, k);
  }
  return out;
};

/** How many items went through an event type (or a marker such as `assessment`) at least once. */
export const countSeen = <T extends { readonly seen: ReadonlySet<string> }>(items: readonly T[], type: string) =>
  items.filter((i) => i.seen.has(type)).length;

export const communityOf = (unit: OrgUnit): OrgUnit => (unit.kind === 'grid' ? unit.parent! : unit);
export const streetOf = (unit: OrgUnit): OrgUnit =>
  communityOf(unit).kind === 'community' ? (communityOf(unit).parent as OrgUnit) : unit;

export const actorOf = (p: OrgPerson): Actor => ({ personId: p.personId, role: p.role, unitId: p.unit.unitId });

export const personRef = (p: OrgPerson): PersonRef => ({
  personId: p.personId,
  name: p.name,
  role: p.role,
  unitId: p.unit.unitId,
  unitName: p.unit.name,
});

export const meta = (actor: Actor, at: number) => ({ actor, now: businessTime(at) });

/** The context of one run; see the module comment. */
export const createPlanningContext = (o: ResolvedDemoOptions) => {
  const random = createRandom(o.seed);
  const people = createPeopleFactory(random);
  const idOf = (kind: string, key: string | number): string => uuidFromName(`banshishi-demo/${o.seed}/${kind}/${key}`);
  const population = planPopulation(o.scale);
  const org: Organisation = planOrganisation(population, random, people, idOf);
  const unitsById: ReadonlyMap<string, OrgUnit> = new Map(org.units.map((u) => [u.unitId, u]));
  const untilMs = startOfDay(o.until) + dayMs - 1;
  const campaignStart = startOfDay(o.period.from) + 9 * 3_600_000;

  let commands = 0;
  // One hash per run, then a counter: a correlation id per command without a SHA-256 per command.
  const correlationPrefix = idOf('correlation', 'run').slice(0, 24);
  const correlationIdOf = (n: number) => `${correlationPrefix}${n.toString(16).padStart(12, '0')}`;
  /** Numbers the command: its idempotency key and correlation id follow from its place in the script. */
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

  const agenda = createAgenda();
  /** Tasks due after the clock stops are dropped: what is still open then stays open. */
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

  const spawnWindow = [campaignStart + 30 * 60_000, untilMs - 2 * dayMs] as const;
  /** When the `index`-th problem or wish starts; coverage items early, the rest anywhere in the campaign. */
  const spawnTime = (index: number, coverage: boolean): number => {
    if (coverage) {
      // Coverage items start in the first quarter and a few hours apart, so their whole plan fits.
      return campaignStart + index * 5 * 3_600_000 + random.int(0, 3_000_000);
    }
    return spawnWindow[0] + Math.floor(random.next() * (spawnWindow[1] - spawnWindow[0]));
  };

  const system: Actor = { personId: 'banshishi-demo', role: 'system' };

  /** The secretary of each unit now: the directory planner replaces a few mid-campaign (换届). */
  const secretaryOf = new Map<string, OrgPerson>(org.secretaries.map((s) => [s.unit.unitId, s]));

  return {
    options: o,
    random,
    people,
    idOf,
    population,
    org,
    unitsById,
    untilMs,
    campaignStart,
    make,
    /** How many commands the script has issued so far. */
    commands: () => commands,
    agenda,
    schedule,
    later,
    atDay,
    spawnTime,
    secretaryOf,
    secretaryActor: (unit: OrgUnit): Actor => actorOf(secretaryOf.get(unit.unitId)!),
    /** Only the district and its office are registered as `system`: from then on the office acts. */
    system,
    office: actorOf(org.dispatcher),
    assessor: actorOf(org.assessor),
  };
};

export type PlanningContext = ReturnType<typeof createPlanningContext>;
