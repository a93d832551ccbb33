// The visits' part of the demo (入户走访, 五问五解决, 处长网格员, 现场解决), kept modest: in the first two
// months, the secretaries of the first communities visit households of their community (the first one
// meets the 20-household quota in the first month, the second falls short), grid workers ask the five
// questions, a department official spends a grid day, one visit is cancelled as recorded in error, and two
// problems met on visits are solved on site by the community's secretary. It draws from a random stream
// of its own (derived from the seed), so the other planners' draws, and their histories, stay as they were.
import { type VisitKind, visitTopics } from '@banshishi/core';
import type { Issued } from '../agenda.js';
import { localDate } from '../clock.js';
import type { OrgPerson, OrgUnit } from '../organisation.js';
import { actorOf, meta, type PlanningContext } from '../planning.js';
import { createRandom } from '../random.js';

interface PlannedVisit {
  readonly visitId: string;
  readonly at: number;
  readonly unit: OrgUnit;
  readonly household: OrgPerson;
  readonly kind: VisitKind;
  /** Who visits: the community's secretary as they stand when the visit is due, or a fixed person. */
  readonly by: { readonly secretaryOf: OrgUnit } | { readonly person: OrgPerson };
  readonly topics?: readonly (typeof visitTopics)[number][];
  readonly cancelLater?: boolean;
  readonly onSite?: {
    readonly problemId: string;
    readonly title: string;
    readonly category: string;
    readonly summary: string;
  };
}

const onSiteProblems = [
  { title: '楼道堆物影响通行', category: '物业管理', summary: '走访时当场联系物业清理楼道杂物' },
  { title: '单元门禁损坏', category: '物业管理', summary: '走访时当场联系维修人员更换门禁' },
] as const;

export const createVisitPlanner = (ctx: PlanningContext) => {
  const { org, schedule, make, people } = ctx;
  const random = createRandom((ctx.options.seed * 7919 + 104_729) >>> 0);
  const later = (from: number, minDays: number, maxDays: number) =>
    from + random.int(minDays, maxDays) * 86_400_000 + random.int(0, 8 * 3_600_000);
  const planned: PlannedVisit[] = [];
  const onSiteIds = new Set<string>();
  let recorded = 0;
  let cancelled = 0;
  let solvedOnSite = 0;
  const firstMonthEnd = ctx.campaignStart + 28 * 86_400_000;

  /** The residents living in a community or its grids, each with the unit they live in. */
  const householdsOf = (community: OrgUnit): OrgPerson[] =>
    [community, ...community.children].flatMap((u) => u.residents).filter((r) => r.address !== undefined);

  const spawn = (): void => {
    const communities = org.communities.filter((c) => householdsOf(c).length > 0).slice(0, 2);
    let n = 0;
    const nextId = () => `V-${ctx.idOf('visit', n++).slice(0, 12)}`;
    communities.forEach((community, ci) => {
      const households = householdsOf(community);
      const count = ci === 0 ? 21 : 8;
      for (let i = 0; i < count; i++) {
        const household = households[i % households.length]!;
        const at = ctx.campaignStart + Math.floor(random.next() * (firstMonthEnd - ctx.campaignStart - 86_400_000));
        const onSite = ci === 0 && i < onSiteProblems.length ? onSiteProblems[i]! : undefined;
        const visitId = nextId();
        const problemId = onSite === undefined ? undefined : `P-${visitId.slice(2)}`;
        if (problemId !== undefined) onSiteIds.add(problemId);
        planned.push({
          visitId,
          at,
          unit: household.unit,
          household,
          kind: 'door_to_door',
          by: { secretaryOf: community },
          cancelLater: ci === 1 && i === 0,
          ...(onSite === undefined || problemId === undefined ? {} : { onSite: { problemId, ...onSite } }),
        });
      }
    });
    // 五问五解决: the grid workers of the first grids, each on a household of their own grid.
    const grids = org.grids.filter((g) => g.gridWorkers.length > 0 && g.residents.some((r) => r.address !== undefined));
    for (const grid of grids.slice(0, 4)) {
      const household = grid.residents.find((r) => r.address !== undefined)!;
      const topics = random.shuffle([...visitTopics]).slice(0, random.int(1, 3));
      planned.push({
        visitId: nextId(),
        at: later(ctx.campaignStart, 3, 40),
        unit: grid,
        household,
        kind: 'grid_five_questions',
        by: { person: grid.gridWorkers[0]! },
        topics,
      });
    }
    // 处长网格员: a department's official spends a day in a grid of the district.
    const official = org.handlers[0];
    const grid = grids[0];
    if (official !== undefined && grid !== undefined)
      for (const household of grid.residents.filter((r) => r.address !== undefined).slice(0, 2))
        planned.push({
          visitId: nextId(),
          at: later(ctx.campaignStart, 20, 30),
          unit: grid,
          household,
          kind: 'official_grid_day',
          by: { person: official },
        });
    for (const visit of planned) schedule(visit.at, () => record(visit));
  };

  const visitorOf = (visit: PlannedVisit) =>
    'person' in visit.by ? actorOf(visit.by.person) : ctx.secretaryActor(visit.by.secretaryOf);

  const record = (visit: PlannedVisit): Issued => {
    const actor = visitorOf(visit);
    const command = make('visit', {
      type: 'recordVisit',
      data: {
        visitId: visit.visitId,
        unitId: visit.unit.unitId,
        date: localDate(visit.at),
        kind: visit.kind,
        household: { address: people.record('addresses', visit.household.address!) },
        ...(visit.topics === undefined ? {} : { topics: [...visit.topics] }),
      },
      metadata: meta(actor, visit.at),
    });
    return {
      command,
      afterwards: (outcome) => {
        if (outcome.events.length === 0) return;
        recorded++;
        if (visit.onSite !== undefined) schedule(visit.at + 20 * 60_000, () => resolveOnSite(visit));
        if (visit.cancelLater === true) schedule(visit.at + 2 * 86_400_000, () => cancel(visit));
      },
    };
  };

  const cancel = (visit: PlannedVisit): Issued => ({
    command: make('visit', {
      type: 'cancelVisit',
      data: { visitId: visit.visitId, reason: '登记时记错了走访户' },
      metadata: meta(visitorOf(visit), visit.at + 2 * 86_400_000),
    }),
    afterwards: (outcome) => {
      if (outcome.events.length > 0) cancelled++;
    },
  });

  const resolveOnSite = (visit: PlannedVisit): Issued => {
    const onSite = visit.onSite!;
    const at = visit.at + 20 * 60_000;
    return {
      command: make('problem', {
        type: 'resolveProblemOnSite',
        data: {
          problemId: onSite.problemId,
          unitId: visit.unit.unitId,
          grade: 'minor',
          title: onSite.title,
          category: onSite.category,
          visitId: visit.visitId,
          summary: onSite.summary,
          evidence: [
            { kind: 'photo', uri: `sha256:${ctx.idOf('onsite-photo', onSite.problemId).replaceAll('-', '')}` },
          ],
        },
        metadata: meta(visitorOf(visit), at),
      }),
      afterwards: (outcome) => {
        if (outcome.events.length > 0) solvedOnSite++;
      },
    };
  };

  const manifest = () => ({ recorded, cancelled, solvedOnSite });

  return {
    spawn,
    manifest,
    /** Problems this planner raised (现场解决): the problem planner does not follow them. */
    ownsProblem: (problemId: string) => onSiteIds.has(problemId),
  };
};
