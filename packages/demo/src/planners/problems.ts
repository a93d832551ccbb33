// The problems' part of the demo (征题 → 领题 → 解题 → 评题): each problem's fate is planned when it is
// raised — rejected, routed, escalated, claimed late, solved late, reopened, rated by the office first —
// and who acts is chosen only when the act is due, from the directory as it stands then. The first
// problems of every run take the coverage plans, so even the smallest demo reaches every state.
import {
  type Actor,
  type ProblemCommand,
  type ProblemGrade,
  type ProblemRaiser,
  type ProblemState,
  type ProblemVerdict,
  responseWindowDays,
} from '@banshishi/core';
import type { Issued } from '../agenda.js';
import { addDays, localDate } from '../clock.js';
import type { OrgPerson, OrgUnit } from '../organisation.js';
import {
  actorOf,
  communityOf,
  countBy,
  countSeen,
  type DemoCommand,
  type DemoOutcome,
  meta,
  type PlanningContext,
  streetOf,
} from '../planning.js';
import type { Random } from '../random.js';
import {
  assignmentNotes,
  enterpriseTopics,
  escalationReasons,
  evidenceCaptions,
  type ProblemTopic,
  rejectionReasons,
  residentTopics,
  reworkNotes,
  supervisionNotes,
  verdictComments,
} from '../vocabulary.js';

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

export const createProblemPlanner = (ctx: PlanningContext) => {
  const { random, people, org, unitsById, office, assessor, schedule, later, atDay, secretaryActor, idOf, make } = ctx;
  const problems: ProblemItem[] = [];
  const problemsById = new Map<string, ProblemItem>();
  const raisingResidents: OrgPerson[] = [];
  const raisingEnterprises: OrgPerson[] = [];

  /** A resident as the raiser of a problem: their name and phone, and their address recorded as personal. */
  const residentRaiser = (resident: OrgPerson): ProblemRaiser => ({
    kind: 'resident',
    personId: resident.personId,
    name: resident.name,
    phone: resident.phone,
    address: people.record('addresses', resident.address!),
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
        raiser = residentRaiser(resident);
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
          raiser = residentRaiser(resident);
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

  /** Follows a problem command's outcome: the item's state, and the event types it has been through. */
  const observe = (issued: DemoCommand & { lifecycle: 'problem' }, outcome: DemoOutcome): void => {
    const item = problemsById.get(issued.command.data.problemId)!;
    item.state = outcome.state as ProblemState;
    for (const event of outcome.events) item.seen.add(event.type);
  };

  /** Schedules every problem of the population, each raised at its time with its plan. */
  const spawn = (): void => {
    for (let i = 0; i < ctx.population.problems; i++) {
      const coverage = i < coverageProblems.length;
      const plan = coverage ? coverageProblems[i]! : randomProblemPlan(random);
      schedule(ctx.spawnTime(i, coverage), (at) => solicitProblem(i, plan, at));
    }
  };

  /** The problems as the clock stopped, for the manifest. */
  const manifest = () => {
    const untilDate = ctx.options.until;
    const overdue = (item: ProblemItem): boolean => {
      const s = item.state;
      if (s.status === 'claimed') return s.claim !== null && untilDate > s.claim.promisedBy;
      if (s.status === 'solicited' || s.status === 'assigned')
        return untilDate > addDays(localDate(item.solicitedAt), responseWindowDays[s.grade]);
      return false;
    };
    return {
      total: problems.length,
      byStatus: countBy(problems, (p) => p.state.status),
      byGrade: countBy(problems, (p) => p.grade),
      bySource: countBy(problems, (p) => p.plan.channel),
      assigned: countSeen(problems, 'ProblemAssigned'),
      escalated: countSeen(problems, 'ProblemEscalated'),
      reopened: countSeen(problems, 'ProblemReopened'),
      supervised: countSeen(problems, 'ProblemSupervised'),
      withProgressNotes: countSeen(problems, 'ProblemProgressNoted'),
      assessed: countSeen(problems, 'assessment'),
      overdueAtEnd: problems.filter(overdue).length,
    };
  };

  return { spawn, observe, manifest, raisingResidents, raisingEnterprises };
};
