// 党员干部结新亲 in the demo (seed 002, Jiaozhou: officials paired with veterans, 特困 and 低保 households,
// orphans and left-behind children): a modest number of pairings, each visited a few times with a located
// check-in — some far from the registered location, recorded as far — and a diary; a few anonymised
// excerpts the household consented to, one consent withdrawn, one household passed to another official,
// one pairing ended, and a couple of needs the household reported collected as wishes with their origin.
//
// It draws from a random of its own, so adding it leaves every draw of the earlier planners as it was:
// the problems and wishes of a seed stay the same with or without pairings.
import { geoPointOf, type HouseholdCategory } from '@banshishi/core';
import { dayMs, midnightOf } from '../clock.js';
import type { OrgPerson, OrgUnit } from '../organisation.js';
import { actorOf, type DemoCommand, meta, type PlanningContext } from '../planning.js';
import { createRandom } from '../random.js';

/** What the official writes down after a visit (探亲日记): personal text, never shown. */
const diaries = [
  '老人腿脚不便，冬季取暖煤已送到，叮嘱按时吃药。',
  '孩子期中考试进步明显，和奶奶一起检查了作业。',
  '家里屋顶漏雨，已联系村里安排维修。',
  '老兵讲起当年的经历，精神很好，想参加社区活动。',
  '低保复核材料已帮忙整理好，下周送到街道。',
  '孩子想要一套课外书，记下了书名。',
] as const;

/** Anonymised excerpts for the board: no name, no place more precise than the unit, no digits. */
const excerpts = [
  '老人拉着我的手说，今年冬天屋里暖和了。',
  '孩子把奖状贴在墙上，笑得很开心。',
  '大爷说，有人常来看看，心里踏实。',
  '一起包了饺子，聊了很久家常。',
  '孩子说长大了也想帮助别人。',
] as const;

const wishNeeds = ['想要一台助听器，方便和家人说话', '孩子想要一套课外读物和一盏护眼台灯'] as const;

const categories: readonly HouseholdCategory[] = ['veteran', 'tekun', 'dibao', 'orphan', 'left_behind_child'];

const within = (unit: OrgUnit, ancestor: OrgUnit): boolean => {
  for (let u: OrgUnit | null = unit; u !== null; u = u.parent) if (u === ancestor) return true;
  return false;
};

export const createPairingPlanner = (ctx: PlanningContext) => {
  const { make, office, org, people } = ctx;
  const random = createRandom((ctx.options.seed * 2_654_435_761 + 0x5eed) >>> 0);
  const pairingIdOf = (i: number) => ctx.idOf('pairing', i);
  /** Wishes this planner collects for households: the wish planner does not follow them. */
  const raisedWishIds = new Set<string>();
  let pairings = 0;
  let visits = 0;
  let far = 0;
  let consented = 0;
  let needs = 0;

  // Household names never repeat a name already in the organisation: an official's name is public.
  const taken = new Set<string>(
    [
      ...org.secretaries,
      ...org.members,
      ...org.handlers,
      ...org.gridWorkers,
      ...org.residents,
      org.dispatcher,
      org.assessor,
      org.auditor,
    ].map((p) => p.name),
  );
  const given = '桂兰秀英建国玉珍德福春梅国庆淑芬志强海燕明华'.split('');
  const surnames = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗'.split('');
  const householdName = (): string => {
    for (;;) {
      const name = random.pick(surnames) + random.pick(given) + random.pick(given);
      if (!taken.has(name)) {
        taken.add(name);
        return name;
      }
    }
  };

  /** A time `minDays`…`maxDays` days after `from`, in working hours. */
  const later = (from: number, minDays: number, maxDays: number): number => {
    const at =
      midnightOf(from) + random.int(minDays, maxDays) * dayMs + Math.floor((9 + random.next() * 8) * 3_600_000);
    return at > from ? at : from + 3_600_000;
  };

  const spawn = (): void => {
    const members = org.members.filter((m) => org.communities.some((c) => within(c, m.unit)));
    const n = Math.min(15, members.length);
    for (let i = 0; i < n; i++) {
      const official = members[i]!;
      const community = random.pick(org.communities.filter((c) => within(c, official.unit)));
      const street = community.parent ?? community;
      const name = householdName();
      const phone = `139${String(random.int(0, 99_999_999)).padStart(8, '0')}`;
      const address = `${street.name}${community.name}${random.int(1, 99)}号`;
      const lat = 36.22 + random.next() * 0.12;
      const long = 119.92 + random.next() * 0.2;
      const location = geoPointOf(lat, long);
      const pairingId = pairingIdOf(i);
      const category = categories[i % categories.length]!;
      const pairAt = ctx.campaignStart + (i + 1) * 3 * 3_600_000 + random.int(0, 3_000_000);
      const consents = random.chance(0.5);
      const withdraws = consents && i === 1;
      const reassignTo = i === 2 ? members.find((m) => m !== official && within(community, m.unit)) : undefined;
      const ends = i === 3;
      const raisesNeed = i === 0 || i === 4;

      // The plan, in time order; each step runs after the one before it.
      type Step = { at: number; run: (at: number) => DemoCommand | null };
      const steps: Step[] = [];
      let t = pairAt;
      let current: OrgPerson = official;
      steps.push({
        at: t,
        run: (at) => {
          pairings++;
          // Recorded as personal values when they go into the log, not when planned: a step after the
          // clock stops never runs.
          people.record('names', name);
          people.record('phones', phone);
          people.record('addresses', address);
          people.record('locations', location);
          return make('pairing', {
            type: 'pairHousehold',
            data: {
              pairingId,
              unitId: community.unitId,
              officialId: official.personId,
              category,
              household: { name, phone, address, location },
            },
            metadata: meta(office, at),
          });
        },
      });
      if (consents) {
        t = later(t, 1, 5);
        steps.push({
          at: t,
          run: (at) => {
            consented++;
            return make('pairing', {
              type: 'recordHouseholdConsent',
              data: { pairingId, consent: 'given' },
              metadata: meta(actorOf(official), at),
            });
          },
        });
      }
      const visitCount = random.int(2, 4);
      for (let v = 0; v < visitCount; v++) {
        t = later(t, 7, 30);
        const visitor = current;
        const visitId = ctx.idOf('pairing-visit', `${i}/${v}`);
        const checkedIn = random.chance(0.9);
        const isFar = checkedIn && random.chance(0.25);
        // Near: a few tens of metres from the door; far: a couple of kilometres away.
        const offset = isFar ? 0.015 + random.next() * 0.01 : random.next() * 0.0004;
        const position = geoPointOf(lat + offset, long);
        const excerpt = consents && random.chance(0.6) ? random.pick(excerpts) : undefined;
        const diary = `${random.pick(diaries)}（第${v + 1}次走访）`;
        steps.push({
          at: t,
          run: (at) => {
            visits++;
            if (isFar) far++;
            people.record('freeText', diary);
            if (checkedIn) people.record('locations', position);
            return make('pairing', {
              type: 'recordPairingVisit',
              data: {
                pairingId,
                visitId,
                visitedAt: new Date(at - 2 * 3_600_000).toISOString(),
                diary,
                ...(checkedIn ? { checkIn: { position, accuracyMeters: random.int(5, 30) } } : {}),
                ...(excerpt === undefined ? {} : { excerpt }),
              },
              metadata: meta(actorOf(visitor), at),
            });
          },
        });
        if (raisesNeed && v === 0) {
          const wishId = ctx.idOf('pairing-wish', i);
          raisedWishIds.add(wishId);
          const description = wishNeeds[needs % wishNeeds.length]!;
          t = later(t, 0, 1);
          steps.push({
            at: t,
            run: (at) => {
              // The wish itself is public (寻梦); the wisher's name and phone are already recorded.
              return make('wish', {
                type: 'collectWish',
                data: {
                  wishId,
                  unitId: community.unitId,
                  category: 'life',
                  description,
                  consent: 'none',
                  wisher: { name, phone },
                  origin: { kind: 'pairing', pairingId, visitId },
                },
                metadata: meta(actorOf(visitor), at),
              });
            },
          });
          t = later(t, 0, 1);
          steps.push({
            at: t,
            run: (at) => {
              needs++;
              return make('pairing', {
                type: 'linkPairingNeed',
                data: { pairingId, kind: 'wish', itemId: wishId, visitId },
                metadata: meta(actorOf(visitor), at),
              });
            },
          });
        }
        if (v === 0 && reassignTo !== undefined) {
          t = later(t, 3, 10);
          const to = reassignTo;
          steps.push({
            at: t,
            run: (at) =>
              make('pairing', {
                type: 'reassignPairing',
                data: { pairingId, officialId: to.personId, reason: '原结对干部岗位调整' },
                metadata: meta(office, at),
              }),
          });
          current = to;
        }
      }
      if (withdraws) {
        t = later(t, 2, 10);
        steps.push({
          at: t,
          run: (at) => {
            consented--;
            return make('pairing', {
              type: 'recordHouseholdConsent',
              data: { pairingId, consent: 'withdrawn' },
              metadata: meta(actorOf(current), at),
            });
          },
        });
      }
      if (ends) {
        t = later(t, 5, 20);
        steps.push({
          at: t,
          run: (at) =>
            make('pairing', {
              type: 'endPairing',
              data: { pairingId, reason: '家庭已随子女迁往外地' },
              metadata: meta(office, at),
            }),
        });
      }
      // Each step schedules the next once it has run, so a step never runs before the one it follows.
      const chain = (k: number): void => {
        const step = steps[k];
        if (step === undefined) return;
        ctx.schedule(step.at, (at) => {
          const command = step.run(at);
          return command === null ? null : { command, afterwards: () => chain(k + 1) };
        });
      };
      chain(0);
    }
  };

  const manifest = () => ({ total: pairings, visits, farCheckIns: far, consenting: consented, needs });

  return { spawn, manifest, raises: (wishId: string) => raisedWishIds.has(wishId) };
};
