// 企业服务 in the demo (seeds 000, 002): the office assigns a service officer (a department official or a party
// member) to a dozen of the district's enterprises early in the campaign; each officer contacts their enterprise
// every few weeks in the four roles, on site now and then; one officer is replaced mid-campaign; a few needs are
// raised as problems by the office (工作专班), linked back by the officer, and some are claimed and solved by the
// unit's secretary. It draws from its own seeded random, so the other lifecycles' histories stay as they were.
import { addDays } from '@banshishi/core';
import { dayMs, localDate, midnightOf } from '../clock.js';
import type { OrgPerson } from '../organisation.js';
import { type DemoCommand, meta, type PlanningContext } from '../planning.js';
import { createRandom } from '../random.js';

const workSummaries = {
  policy: ['宣讲技改补贴和稳岗返还政策', '解读减税降费新政', '送上惠企政策汇编'],
  research: ['了解订单、用工和用电情况', '调研生产经营和融资需求', '走访车间了解产能'],
  assistance: ['协调办理项目审批手续', '帮助对接银行融资', '协助招聘一线工人'],
  liaison: ['电话回访企业诉求办理情况', '通报园区道路施工安排', '联络部门上门服务'],
} as const;
type WorkRole = keyof typeof workSummaries;
const workRoles = Object.keys(workSummaries) as WorkRole[];

const needTopics = [
  ['厂区门前道路破损，货车进出困难', '企业门前道路破损', '协调交通和住建部门修复路面'],
  ['用电负荷不足，需要增容', '企业用电增容', '联系供电公司现场勘查增容'],
  ['招工难，缺少熟练技工', '企业技工招聘难', '组织专场招聘会对接技校'],
  ['周边排水不畅，雨天积水', '企业周边排水不畅', '疏通排水管网'],
] as const;

interface Service {
  readonly enterprise: OrgPerson;
  officer: OrgPerson;
  contacts: number;
  needs: number;
}

export const createServicePlanner = (ctx: PlanningContext) => {
  const { make, office, org } = ctx;
  // Its own draws: the service planner must not shift what the problem and wish planners draw.
  const random = createRandom((ctx.options.seed ^ 0x5e41ce) >>> 0);
  const officers = [...org.handlers, ...org.members.slice(0, 6)];
  const enterprises = org.enterprises.slice(0, Math.min(12, officers.length));
  const services: Service[] = [];
  const raisedProblems = new Set<string>();
  const figures = { services: 0, contacts: 0, onSite: 0, replaced: 0, needsRaised: 0, solved: 0 };

  const service = (
    type: 'assignServiceOfficer' | 'replaceServiceOfficer' | 'recordServiceContact' | 'raiseServiceNeedAsProblem',
    data: object,
    actor: ReturnType<typeof meta>['actor'],
    at: number,
  ): DemoCommand => make('service', { type, data, metadata: meta(actor, at) } as never);

  /** A working-hours time `minDays`…`maxDays` days after `from`, drawn from this planner's random. */
  const later = (from: number, minDays: number, maxDays: number): number => {
    const day = midnightOf(from) + random.int(minDays, maxDays) * dayMs;
    const at = day + Math.floor((8.5 + random.next() * 9) * 3_600_000);
    return at > from ? at : from + random.int(10, 120) * 60_000;
  };

  const actorOf = (p: OrgPerson) => ({ personId: p.personId, role: p.role, unitId: p.unit.unitId });

  const contactAt = (s: Service, at: number): void => {
    ctx.schedule(at, (now) => {
      const n = ++s.contacts;
      const contactId = `${s.enterprise.personId}-c${n}`;
      const roles = random.shuffle(workRoles).slice(0, random.int(1, 3));
      const kind = n === 1 || random.chance(0.3) ? 'on_site' : random.pick(['phone', 'meeting'] as const);
      const topic =
        s.needs < needTopics.length && random.chance(0.25) ? needTopics[s.needs % needTopics.length]! : null;
      const needId = topic === null ? null : `${contactId}-n1`;
      const description =
        topic === null ? null : ctx.people.record('freeText', `${s.enterprise.name}反映：${topic[0]}（第${n}次对接）`);
      return {
        command: service(
          'recordServiceContact',
          {
            enterpriseId: s.enterprise.personId,
            contactId,
            date: localDate(now),
            kind,
            work: roles.map((role) => ({ role, summary: random.pick(workSummaries[role]) })),
            ...(needId === null ? {} : { needs: [{ needId, description }] }),
          },
          actorOf(s.officer),
          now,
        ),
        afterwards: () => {
          figures.contacts++;
          if (kind === 'on_site') figures.onSite++;
          if (topic !== null && needId !== null) {
            s.needs++;
            raiseAsProblem(s, contactId, needId, topic, now);
          }
          contactAt(s, later(now, 18, 34));
        },
      };
    });
  };

  /** 工作专班: the office raises the need as an enterprise problem; the officer links it; the secretary solves it. */
  const raiseAsProblem = (
    s: Service,
    contactId: string,
    needId: string,
    topic: (typeof needTopics)[number],
    from: number,
  ) => {
    const problemId = `${s.enterprise.personId}-p${s.needs}`;
    const unit = s.enterprise.unit;
    raisedProblems.add(problemId);
    const solicitAt = from + random.int(2, 6) * 3_600_000;
    ctx.schedule(solicitAt, (now) => ({
      command: make('problem', {
        type: 'solicitProblem',
        data: {
          problemId,
          unitId: unit.unitId,
          source: 'enterprise',
          grade: 'medium',
          title: topic[1],
          raiser: { kind: 'enterprise', enterpriseName: s.enterprise.name, enterpriseId: s.enterprise.personId },
          origin: { kind: 'enterprise_service', enterpriseId: s.enterprise.personId, contactId },
        },
        metadata: meta(office, now),
      }),
      afterwards: () => {
        figures.needsRaised++;
        ctx.schedule(now + 30 * 60_000, (linkAt) => ({
          command: service(
            'raiseServiceNeedAsProblem',
            { enterpriseId: s.enterprise.personId, contactId, needId, problemId },
            actorOf(s.officer),
            linkAt,
          ),
        }));
        if (random.chance(0.7)) claimAndSolve(problemId, unit.unitId, topic[2], later(now, 1, 4));
      },
    }));
  };

  const claimAndSolve = (problemId: string, unitId: string, plan: string, at: number) => {
    ctx.schedule(at, (now) => {
      const secretary = ctx.secretaryOf.get(unitId);
      if (secretary === undefined) return null;
      return {
        command: make('problem', {
          type: 'claimProblem',
          data: { problemId, plan, promisedBy: addDays(localDate(now), 14) },
          metadata: meta(actorOf(secretary), now),
        }),
        afterwards: () =>
          ctx.schedule(later(now, 2, 10), (solveAt) => {
            // A secretary replaced since (换届) no longer acts for the unit: the problem stays claimed.
            if (ctx.secretaryOf.get(unitId)?.personId !== secretary.personId) return null;
            return {
              command: make('problem', {
                type: 'solveProblem',
                data: {
                  problemId,
                  summary: `${plan}，已办结`,
                  evidence: [{ kind: 'photo', uri: `https://demo.banshishi.cn/evidence/${problemId}/1.jpg` }],
                },
                metadata: meta(actorOf(secretary), solveAt),
              }),
              afterwards: () => {
                figures.solved++;
              },
            };
          }),
      };
    });
  };

  /** Assigns every served enterprise in the campaign's first weeks; one officer is replaced at mid-campaign. */
  const spawn = (): void => {
    enterprises.forEach((enterprise, i) => {
      const s: Service = { enterprise, officer: officers[i]!, contacts: 0, needs: 0 };
      const at = ctx.campaignStart + (i + 1) * 3 * 3_600_000 + random.int(0, 3_000_000);
      ctx.schedule(at, (now) => ({
        command: service(
          'assignServiceOfficer',
          {
            enterpriseId: enterprise.personId,
            enterpriseName: enterprise.name,
            unitId: enterprise.unit.unitId,
            officerId: s.officer.personId,
            officerRole: s.officer.role,
          },
          office,
          now,
        ),
        afterwards: () => {
          services.push(s);
          figures.services++;
          contactAt(s, later(now, 2, 12));
        },
      }));
    });
    const spare = officers[enterprises.length];
    if (spare !== undefined && enterprises.length > 0) {
      const midCampaign = ctx.campaignStart + Math.floor((ctx.untilMs - ctx.campaignStart) * 0.5);
      ctx.schedule(Math.min(midCampaign, ctx.untilMs - dayMs), (now) => {
        const s = services[0];
        if (s === undefined) return null;
        return {
          command: service(
            'replaceServiceOfficer',
            {
              enterpriseId: s.enterprise.personId,
              officerId: spare.personId,
              officerRole: spare.role,
              reason: '工作调整',
            },
            office,
            now,
          ),
          afterwards: () => {
            s.officer = spare;
            figures.replaced++;
          },
        };
      });
    }
  };

  /** Whether a problem command is this planner's (the problem planner observes only its own). */
  const owns = (command: DemoCommand): boolean =>
    command.lifecycle === 'problem' && raisedProblems.has(command.command.data.problemId);

  const manifest = () => ({ ...figures });

  return { spawn, owns, manifest };
};
