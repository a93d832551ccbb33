// The random-history builder for projection and query specs: a seeded generator of random
// histories that follow both lifecycles' rules (directory first, then problems and wishes moving through
// their states), appended to an in-memory store. Residents get known names, phones and addresses so tests
// can check that none of them reaches a public table.
import {
  type Actor,
  clearVersionOf,
  createCorePersonalDataSealer,
  type EventStore,
  getInMemoryEventStore,
  getInMemorySubjectKeyStore,
  type NewEvent,
  type PersonalDataSealer,
  problemEventRegistry,
  type StreamOpening,
  uuidFromName,
  wishEventRegistry,
} from '@banshishi/core';
import { createRandom } from '../random.js';

export interface Resident {
  readonly personId: string;
  readonly name: string;
  readonly phone: string;
  readonly address: string;
}

export interface History {
  readonly store: EventStore & { readonly log: readonly { readonly streamId: string }[] };
  readonly residents: readonly Resident[];
  /** Sealed the personal fields, as every writer does; reveals them for tests that need the clear values. */
  readonly personalData: PersonalDataSealer;
  /** Every personal value that went into the log: none of them may appear in a public table. */
  readonly personalValues: readonly string[];
  readonly districtId: string;
  readonly campaignId: string;
  readonly lastTime: string;
}

const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const given = ['秀英', '桂兰', '建国', '志强', '海燕', '立新', '淑珍', '国庆', '玉梅', '红霞'];
const titles = ['小区路灯不亮', '楼道堆放杂物', '下水道堵塞', '老旧小区加装电梯', '菜市场噪音扰民', '公交站台缺少座椅'];
const wishes = ['想学习智能手机使用', '希望有人帮忙修理轮椅', '想参加书法培训班', '希望孩子暑期有人辅导功课'];

/** A random history of roughly `steps` item events after the directory and campaign are set up. */
export const randomHistory = async (seed: number, steps: number): Promise<History> => {
  const r = createRandom(seed);
  const store = getInMemoryEventStore({ clock: () => new Date('2026-01-01T00:00:00Z') });
  let clock = Date.UTC(2025, 2, 1, 0, 0, 0);
  let counter = 0;
  const time = () => {
    clock += (1 + r.int(0, 19)) * 3_600_000;
    // Written with the Jiaozhou offset, as intake apps would.
    return new Date(clock + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
  };
  const heads = new Map<string, number>();
  // Sealed as command handling seals them: projections read the stored form.
  const personalData = createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() });
  const openings = new Map<string, StreamOpening>();
  const append = async (streamId: string, type: string, data: unknown, actor: Actor, at = time()) => {
    counter++;
    const definition = problemEventRegistry.definitions.get(type) ?? wishEventRegistry.definitions.get(type);
    const clear: NewEvent = {
      eventId: uuidFromName(`history/${seed}/${counter}`),
      type,
      schemaVersion: definition === undefined ? 1 : clearVersionOf(definition),
      data,
      occurredAt: at,
      actor,
      correlationId: uuidFromName(`corr/${seed}/${counter}`),
      causationId: uuidFromName(`corr/${seed}/${counter}`),
    };
    if (!openings.has(streamId)) openings.set(streamId, clear);
    const [event] = await personalData.seal(streamId, [clear], openings.get(streamId));
    const head = heads.get(streamId);
    await store.append(streamId, [event!], { expectedRevision: head === undefined ? 'no_stream' : head });
    heads.set(streamId, (head ?? -1) + 1);
    return at;
  };
  const system: Actor = { personId: 'system', role: 'system' };
  const office: Actor = { personId: 'office-1', role: 'office' };

  // Directory: one district, two streets, two communities each, two grids each.
  const districtId = 'd1';
  const units: { id: string; kind: string; parent: string | null }[] = [
    { id: districtId, kind: 'district', parent: null },
  ];
  for (const s of [1, 2]) {
    units.push({ id: `s${s}`, kind: 'street', parent: districtId });
    for (const c of [1, 2]) {
      units.push({ id: `s${s}c${c}`, kind: 'community', parent: `s${s}` });
      for (const g of [1, 2]) units.push({ id: `s${s}c${c}g${g}`, kind: 'grid', parent: `s${s}c${c}` });
    }
  }
  for (const u of units) {
    await append(
      `unit-${u.id}`,
      'UnitRegistered',
      { unitId: u.id, name: `单位${u.id}`, kind: u.kind, parentId: u.parent },
      system,
    );
  }
  const grids = units.filter((u) => u.kind === 'grid').map((u) => u.id);
  const secretaries = units
    .filter((u) => u.kind !== 'district')
    .map((u) => ({ personId: `sec-${u.id}`, unitId: u.id }));
  for (const s of secretaries) {
    await append(
      `person-${s.personId}`,
      'PersonRegistered',
      { personId: s.personId, kind: 'official', name: `书记${s.unitId}` },
      system,
    );
    await append(
      `person-${s.personId}`,
      'RoleGranted',
      { personId: s.personId, role: 'secretary', unitId: s.unitId, since: '2025-01-01T00:00:00+08:00' },
      system,
    );
  }
  const members = [1, 2, 3, 4].map((i) => ({ personId: `mem-${i}`, official: i % 2 === 0 }));
  const residents: Resident[] = [];
  for (let i = 0; i < 6; i++) {
    residents.push({
      personId: `res-${i}`,
      name: `${r.pick(surnames)}${r.pick(given)}${i}`,
      phone: `1390532${String(1000 + i * 37).padStart(4, '0')}`,
      address: `胶州市${r.pick(['福州路', '广州路', '澳门路'])}${100 + i}号`,
    });
  }
  for (const res of residents) {
    await append(
      `person-${res.personId}`,
      'PersonRegistered',
      { personId: res.personId, kind: 'resident', name: res.name, phone: res.phone },
      system,
    );
  }
  for (const m of members) {
    const name = m.official ? `党员${m.personId}` : `${r.pick(surnames)}党员${m.personId}`;
    if (!m.official)
      residents.push({
        personId: m.personId,
        name,
        phone: `1380000000${m.personId.slice(-1)}`,
        address: `胶州市党员路${m.personId.slice(-1)}号`,
      });
    await append(
      `person-${m.personId}`,
      'PersonRegistered',
      { personId: m.personId, kind: m.official ? 'official' : 'resident', name },
      system,
    );
    await append(
      `person-${m.personId}`,
      'RoleGranted',
      { personId: m.personId, role: 'member', unitId: districtId, since: '2025-01-01T00:00:00+08:00' },
      system,
    );
  }
  const campaignId = 'c1';
  await append(
    `campaign-${campaignId}`,
    'CampaignLaunched',
    {
      campaignId,
      name: '千名书记解千题、万名党员圆万梦',
      districtId,
      period: { from: '2025-03-01', to: '2025-12-31' },
      targets: { problemsSolved: 20, wishesFulfilled: 10 },
      quotas: { perSecretaryProblems: 1, perMemberWishes: 1, maxOpenWishClaimsPerMember: 3 },
    },
    office,
  );

  type P = {
    id: string;
    state: string;
    unit: string;
    claimant: string | null;
    raiser: Resident | null;
    rework: number;
  };
  type W = { id: string; state: string; unit: string; claimant: string | null; wisher: Resident; consent: string };
  const problems: P[] = [];
  const wishList: W[] = [];
  const residentActor = (res: Resident): Actor => ({ personId: res.personId, role: 'resident' });
  const secretaryOf = (unit: string) => `sec-${unit}`;
  const parentOf = (unit: string) => units.find((u) => u.id === unit)?.parent ?? null;

  for (let step = 0; step < steps; step++) {
    const roll = r.next();
    if (roll < 0.15 || problems.length === 0) {
      const id = `p${problems.length + 1}`;
      const raiser = r.chance(0.8) ? r.pick(residents.filter((x) => x.personId.startsWith('res'))) : null;
      const unit = r.pick(grids);
      const at = time();
      await append(
        `problem-${id}`,
        'ProblemSolicited',
        {
          problemId: id,
          unitId: unit,
          source: raiser === null ? 'enterprise' : 'resident',
          grade: r.pick(['minor', 'small', 'medium', 'major']),
          title: r.pick(titles),
          solicitedAt: at,
          description:
            raiser === null ? '企业反映用电问题' : `${raiser.name}反映，电话${raiser.phone}，住${raiser.address}`,
          raiser:
            raiser === null
              ? {
                  kind: 'enterprise',
                  enterpriseName: '胶州某某机械有限公司',
                  contactName: '赵经理',
                  contactPhone: '13912345678',
                }
              : {
                  kind: 'resident',
                  personId: raiser.personId,
                  name: raiser.name,
                  phone: raiser.phone,
                  address: raiser.address,
                },
        },
        raiser === null ? { personId: 'ent-1', role: 'enterprise' } : residentActor(raiser),
        at,
      );
      problems.push({ id, state: 'solicited', unit, claimant: null, raiser, rework: 0 });
      continue;
    }
    if (roll < 0.25) {
      const id = `w${wishList.length + 1}`;
      const wisher = r.pick(residents.filter((x) => x.personId.startsWith('res')));
      const consent = r.pick(['none', 'anonymous', 'named']);
      await append(
        `wish-${id}`,
        'WishCollected',
        {
          wishId: id,
          unitId: r.pick(grids),
          category: r.pick(['study', 'life', 'work']),
          description: r.pick(wishes),
          consent,
          wisher: { personId: wisher.personId, name: wisher.name, phone: wisher.phone, address: wisher.address },
          collector: { personId: 'gw-1', role: 'grid_worker', unitId: grids[0]! },
        },
        { personId: 'gw-1', role: 'grid_worker', unitId: grids[0]! },
      );
      wishList.push({ id, state: 'collected', unit: grids[0]!, claimant: null, wisher, consent });
      continue;
    }
    if (roll < 0.65) {
      const p = r.pick(problems);
      const s = `problem-${p.id}`;
      const claimantActor = (): Actor => ({ personId: p.claimant!, role: 'secretary', unitId: p.claimant!.slice(4) });
      switch (p.state) {
        case 'solicited':
        case 'assigned': {
          const choice = r.next();
          if (choice < 0.6) {
            const claimant = secretaryOf(p.unit);
            const at = time();
            await append(
              s,
              'ProblemClaimed',
              {
                problemId: p.id,
                claimantId: claimant,
                claimantRole: 'secretary',
                claimantUnitId: p.unit,
                plan: '协调物业处理',
                promisedBy: new Date(Date.parse(at) + (1 + r.int(0, 9)) * 86_400_000).toISOString().slice(0, 10),
              },
              { personId: claimant, role: 'secretary', unitId: p.unit },
              at,
            );
            p.state = 'claimed';
            p.claimant = claimant;
          } else if (choice < 0.7 && p.state === 'solicited') {
            await append(s, 'ProblemRejected', { problemId: p.id, ground: 'duplicate', reason: '重复反映' }, office);
            p.state = 'rejected';
          } else if (choice < 0.8) {
            const to = r.pick(grids);
            await append(s, 'ProblemAssigned', { problemId: p.id, fromUnitId: p.unit, toUnitId: to }, office);
            p.unit = to;
            p.state = 'assigned';
          } else {
            await append(s, 'ProblemSupervised', { problemId: p.id, ground: 'overdue' }, office);
          }
          break;
        }
        case 'claimed': {
          const choice = r.next();
          if (choice < 0.5) {
            await append(
              s,
              'ProblemSolved',
              {
                problemId: p.id,
                summary: '已协调解决',
                evidence: [{ kind: 'photo', uri: 'https://example.org/p.jpg' }],
              },
              claimantActor(),
            );
            p.state = 'solved';
          } else if (choice < 0.7) {
            await append(s, 'ProblemProgressNoted', { problemId: p.id, note: '正在协调' }, claimantActor());
          } else if (parentOf(p.unit) !== null) {
            const to = parentOf(p.unit)!;
            await append(
              s,
              'ProblemEscalated',
              {
                problemId: p.id,
                fromUnitId: p.unit,
                toUnitId: to,
                reason: '需上级协调',
                releasedClaimantId: p.claimant!,
              },
              claimantActor(),
            );
            p.unit = to;
            p.state = 'solicited';
            p.claimant = null;
          }
          break;
        }
        case 'solved': {
          const verdict = r.pick(['satisfied', 'basically_satisfied', 'unsatisfied']);
          const rater: Actor = p.raiser === null ? { personId: 'ent-1', role: 'enterprise' } : residentActor(p.raiser);
          await append(
            s,
            'ProblemEvaluated',
            {
              problemId: p.id,
              kind: p.raiser === null ? 'enterprise' : 'resident',
              verdict,
              comment: p.raiser === null ? '满意' : `我是${p.raiser.name}，电话${p.raiser.phone}`,
            },
            rater,
          );
          if (verdict === 'unsatisfied') {
            p.rework++;
            await append(
              s,
              'ProblemReopened',
              { problemId: p.id, claimantId: p.claimant!, reworkCount: p.rework },
              system,
            );
            p.state = 'claimed';
          } else if (p.raiser !== null) {
            await append(s, 'ProblemClosed', { problemId: p.id, basis: 'raiser_verdict', verdict }, system);
            p.state = 'closed';
          } else {
            await append(
              s,
              'ProblemEvaluated',
              { problemId: p.id, kind: 'assessment', verdict: 'satisfied', raiserUnreachable: true },
              office,
            );
            await append(s, 'ProblemClosed', { problemId: p.id, basis: 'assessment', verdict: 'satisfied' }, system);
            p.state = 'closed';
          }
          break;
        }
        default:
          break;
      }
      continue;
    }
    if (wishList.length === 0) continue;
    const w = r.pick(wishList);
    const s = `wish-${w.id}`;
    const memberActor = (id: string): Actor => ({ personId: id, role: 'member', unitId: districtId });
    switch (w.state) {
      case 'collected':
        if (r.chance(0.85)) {
          const m = r.pick(members).personId;
          await append(s, 'WishClaimed', { wishId: w.id, memberId: m, homeDistrictId: districtId }, memberActor(m));
          w.state = 'claimed';
          w.claimant = m;
        } else {
          await append(
            s,
            'WishCancelled',
            { wishId: w.id, grounds: 'withdrawn', reason: null, onBehalfOfWisher: true, releasedClaimantId: null },
            { personId: 'gw-1', role: 'grid_worker' },
          );
          w.state = 'cancelled';
        }
        break;
      case 'claimed':
        if (r.chance(0.8)) {
          await append(
            s,
            'WishFulfilled',
            { wishId: w.id, memberId: w.claimant!, summary: '已帮助实现心愿', evidence: ['https://example.org/w.jpg'] },
            memberActor(w.claimant!),
          );
          w.state = 'fulfilled';
        } else {
          await append(
            s,
            'WishReleased',
            { wishId: w.id, memberId: w.claimant!, reason: '时间冲突' },
            memberActor(w.claimant!),
          );
          w.state = 'collected';
          w.claimant = null;
        }
        break;
      case 'fulfilled':
        if (r.chance(0.8)) {
          await append(
            s,
            'WishConfirmed',
            { wishId: w.id, memberId: w.claimant!, onBehalfOfWisher: false, comment: `谢谢，${w.wisher.name}` },
            residentActor(w.wisher),
          );
          w.state = 'confirmed';
        } else {
          await append(
            s,
            'WishReopened',
            { wishId: w.id, memberId: w.claimant!, onBehalfOfWisher: false, comment: null },
            residentActor(w.wisher),
          );
          w.state = 'claimed';
        }
        break;
      case 'confirmed':
        if (w.consent !== 'none') {
          const display =
            w.consent === 'named'
              ? { shownAs: 'named', maskedName: `${Array.from(w.wisher.name)[0]}**` }
              : { shownAs: 'anonymous' };
          await append(s, 'WishShowcased', { wishId: w.id, story: '党员帮助居民圆了心愿', display }, office);
          w.state = 'showcased';
        }
        break;
      default:
        break;
    }
  }
  const personalValues = residents.flatMap((x) => [x.name, x.phone, x.address]).concat(['赵经理', '13912345678']);
  return { store, residents, personalData, personalValues, districtId, campaignId, lastTime: time() };
};
