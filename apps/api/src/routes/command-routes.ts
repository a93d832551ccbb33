// The command API's one table: every lifecycle command as a route, with the codec its body is decoded
// with (core's own), the path parameters folded into the command's data, the roles that may issue it and
// an example body. The router, the OpenAPI document and its tests are all built from this table, so a
// route cannot be served undocumented or documented unserved.
import {
  campaignCommandCodecs,
  type DirectoryRole,
  pairingCommandCodecs,
  personCommandCodecs,
  problemCommandCodecs,
  serviceCommandCodecs,
  unitCommandCodecs,
  visitCommandCodecs,
  wishCommandCodecs,
} from '@banshishi/core';
import type * as t from 'io-ts';

export type Lifecycle = 'problem' | 'wish' | 'visit' | 'unit' | 'person' | 'campaign' | 'pairing' | 'service';

/** Text in both languages the API speaks (Chinese first). */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

export interface CommandRoute {
  /** The command's type, also the OpenAPI operationId: `claimProblem`. */
  readonly operationId: string;
  readonly method: 'post';
  /** OpenAPI-style path under the API's base: `/problems/{problemId}/claim`. */
  readonly path: string;
  readonly lifecycle: Lifecycle;
  /** Core's codec of the command's data; the body is that data without the path parameters. */
  readonly codec: t.Mixed;
  /** Path parameters, each the name of the data field it fills. */
  readonly pathParams: readonly string[];
  /**
   * A creating route's id field: the client may send it (ids from outside keep retries simple); when it
   * does not, the server makes one, derived from the Idempotency-Key when there is one.
   */
  readonly generatedId?: string;
  /** The data field naming the item when it is neither a path parameter nor `<lifecycle>Id`. */
  readonly itemId?: string;
  /** Roles that may issue it, in the order the API picks one when the caller does not say which. */
  readonly roles: readonly DirectoryRole[];
  readonly summary: Bilingual;
  /** A body the codec accepts (path parameters left out): shown in the docs, checked by a test. */
  readonly example: Readonly<Record<string, unknown>>;
}

export const apiBase = '/api/v1';

const officials = ['secretary', 'department_handler'] as const;
const collectors = ['grid_worker', 'member', 'secretary'] as const;
/** 结新亲: pairing is organised by the office or a secretary over the household's unit. */
const organisers = ['office', 'secretary'] as const;
/** The household's official is a directory person in whatever role they hold; the decider checks who. */
const pairedOfficials = ['member', 'secretary', 'department_handler', 'grid_worker', 'office'] as const;

const route = (r: Omit<CommandRoute, 'method'>): CommandRoute => ({ method: 'post', ...r });

const problem = problemCommandCodecs;
const service = serviceCommandCodecs;
/** Roles an official serves an enterprise in (企业服务专员). */
const serviceOfficers = ['secretary', 'department_handler', 'member'] as const;
const wish = wishCommandCodecs;
const visit = visitCommandCodecs;
const visitors = ['grid_worker', 'member', 'secretary', 'department_handler', 'office'] as const;

export const commandRoutes: readonly CommandRoute[] = [
  route({
    operationId: 'solicitProblem',
    path: '/problems',
    lifecycle: 'problem',
    codec: problem.solicitProblem,
    pathParams: [],
    generatedId: 'problemId',
    roles: ['resident', 'enterprise', 'grid_worker', 'secretary', 'office'],
    summary: { zh: '征题：提出一个问题', en: 'Raise a problem (征题)' },
    example: {
      problemId: 'P-2021-0001',
      unitId: 'jz-sanlihe-c01',
      source: 'resident',
      grade: 'small',
      title: '小区路灯损坏，夜间出行不便',
      category: '基础设施',
      description: '3号楼东侧两盏路灯已坏一个月',
      raiser: { kind: 'resident', personId: 'resident-0001' },
    },
  }),
  route({
    operationId: 'assignProblem',
    path: '/problems/{problemId}/assign',
    lifecycle: 'problem',
    codec: problem.assignProblem,
    pathParams: ['problemId'],
    roles: ['office'],
    summary: { zh: '转办：把问题交给一个单位或部门', en: 'Route a problem to a unit or department (转办)' },
    example: { toUnitId: 'jz-dept-housing', note: '涉及住建部门职责' },
  }),
  route({
    operationId: 'claimProblem',
    path: '/problems/{problemId}/claim',
    lifecycle: 'problem',
    codec: problem.claimProblem,
    pathParams: ['problemId'],
    roles: officials,
    summary: { zh: '领题：认领问题，写明方案和承诺期限', en: 'Claim a problem with a plan and a promised date (领题)' },
    example: { plan: '联系物业和供电所，一周内更换灯具', promisedBy: '2021-12-15' },
  }),
  route({
    operationId: 'escalateProblem',
    path: '/problems/{problemId}/escalate',
    lifecycle: 'problem',
    codec: problem.escalateProblem,
    pathParams: ['problemId'],
    roles: officials,
    summary: { zh: '上报：本级解决不了，交上一级', en: 'Pass a problem one level up (上报)' },
    example: { reason: '涉及跨社区管网改造，需街道统筹' },
  }),
  route({
    operationId: 'superviseProblem',
    path: '/problems/{problemId}/supervise',
    lifecycle: 'problem',
    codec: problem.superviseProblem,
    pathParams: ['problemId'],
    roles: ['office'],
    summary: {
      zh: '督办：逾期或返工的问题挂牌督办',
      en: 'Put an overdue or reopened problem under supervision (督办)',
    },
    example: { ground: 'overdue', note: '超过承诺期限未办结' },
  }),
  route({
    operationId: 'rejectProblem',
    path: '/problems/{problemId}/reject',
    lifecycle: 'problem',
    codec: problem.rejectProblem,
    pathParams: ['problemId'],
    roles: ['office', 'secretary'],
    summary: { zh: '不予受理：重复或不属于办理范围', en: 'Reject a problem: a duplicate, or out of scope' },
    example: { ground: 'duplicate', reason: '与已受理的问题重复', duplicateOf: 'P-2021-0001' },
  }),
  route({
    operationId: 'noteProblemProgress',
    path: '/problems/{problemId}/progress',
    lifecycle: 'problem',
    codec: problem.noteProblemProgress,
    pathParams: ['problemId'],
    roles: officials,
    summary: { zh: '记录办理进展', en: 'Note progress on a claimed problem' },
    example: { note: '已与供电所对接，灯具已订购' },
  }),
  route({
    operationId: 'solveProblem',
    path: '/problems/{problemId}/solve',
    lifecycle: 'problem',
    codec: problem.solveProblem,
    pathParams: ['problemId'],
    roles: officials,
    summary: {
      zh: '解题：报告已解决，附办理情况和佐证',
      en: 'Report a problem solved, with a summary and evidence (解题)',
    },
    example: {
      summary: '更换路灯两盏，恢复夜间照明',
      evidence: [
        {
          kind: 'photo',
          uri: 'sha256:9f2c6e0e5b1d4a7c8e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d',
          caption: '更换后的路灯',
        },
      ],
    },
  }),
  route({
    operationId: 'evaluateProblem',
    path: '/problems/{problemId}/evaluate',
    lifecycle: 'problem',
    codec: problem.evaluateProblem,
    pathParams: ['problemId'],
    // The kind of evaluation picks the role (百姓评 resident, 企业评 enterprise, 考核评 office), and 回访
    // (`onBehalfOfRaiser`) the office: see rolesFor.
    roles: ['resident', 'enterprise', 'office'],
    summary: {
      zh: '评题：百姓评、企业评或考核评；领导小组办公室回访时代提出人记录其评价（onBehalfOfRaiser）',
      en: "Rate a solved problem: by the resident, the enterprise or the office (评题); the office records the raiser's verdict taken by callback (回访) with onBehalfOfRaiser",
    },
    example: { kind: 'resident', verdict: 'satisfied' },
  }),
  route({
    operationId: 'recordVisit',
    path: '/visits',
    lifecycle: 'visit',
    codec: visit.recordVisit,
    pathParams: [],
    generatedId: 'visitId',
    roles: [...visitors],
    summary: {
      zh: '走访：记录入户走访、五问五解决或处长网格员走访',
      en: 'Record a visit: door to door (入户走访), five questions (五问五解决) or an official grid day (处长网格员)',
    },
    example: {
      visitId: 'V-2021-0001',
      unitId: 'jz-sanlihe-c01-g01',
      date: '2021-06-12',
      kind: 'grid_five_questions',
      topics: ['production', 'living'],
      household: { address: '三里河社区 5 号楼 2 单元 301' },
      checkIn: { position: '36.285100,120.007200', accuracyMeters: 12 },
    },
  }),
  route({
    operationId: 'cancelVisit',
    path: '/visits/{visitId}/cancel',
    lifecycle: 'visit',
    codec: visit.cancelVisit,
    pathParams: ['visitId'],
    roles: [...visitors],
    summary: { zh: '作废一条误记的走访记录', en: 'Cancel a visit recorded in error' },
    example: { reason: '记错了户' },
  }),
  route({
    operationId: 'resolveProblemOnSite',
    path: '/problems/on-site',
    lifecycle: 'problem',
    codec: problem.resolveProblemOnSite,
    pathParams: [],
    generatedId: 'problemId',
    roles: ['secretary'],
    summary: {
      zh: '现场解决：走访中发现的问题当场办结（征题、领题、解题一次记录）',
      en: 'Solve a problem met on a visit on the spot (现场解决): solicited, claimed and solved at once',
    },
    example: {
      problemId: 'P-2021-0100',
      visitId: 'V-2021-0001',
      unitId: 'jz-sanlihe-c01-g01',
      grade: 'minor',
      title: '楼道堆物影响通行',
      summary: '当场联系物业清理楼道',
      evidence: [{ kind: 'photo', uri: 'sha256:9f2c6e0e5b1d4a7c8e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d' }],
    },
  }),
  route({
    operationId: 'collectWish',
    path: '/wishes',
    lifecycle: 'wish',
    codec: wish.collectWish,
    pathParams: [],
    generatedId: 'wishId',
    roles: ['resident', ...collectors],
    summary: { zh: '寻梦：记录居民的微心愿', en: "Record a resident's wish (寻梦)" },
    example: {
      wishId: 'W-2021-0001',
      unitId: 'jz-sanlihe-c01',
      category: 'study',
      description: '希望有人辅导孩子的数学作业',
      consent: 'anonymous',
      wisher: { name: '张明' },
    },
  }),
  route({
    operationId: 'claimWish',
    path: '/wishes/{wishId}/claim',
    lifecycle: 'wish',
    codec: wish.claimWish,
    pathParams: ['wishId'],
    roles: ['member'],
    summary: { zh: '领梦：党员认领本区的心愿', en: 'Claim a wish in your own district (领梦)' },
    example: {},
  }),
  route({
    operationId: 'releaseWish',
    path: '/wishes/{wishId}/release',
    lifecycle: 'wish',
    codec: wish.releaseWish,
    pathParams: ['wishId'],
    roles: ['member'],
    summary: { zh: '放弃认领', en: 'Release a claimed wish' },
    example: { reason: '工作调动，无法继续' },
  }),
  route({
    operationId: 'fulfilWish',
    path: '/wishes/{wishId}/fulfil',
    lifecycle: 'wish',
    codec: wish.fulfilWish,
    pathParams: ['wishId'],
    roles: ['member'],
    summary: { zh: '圆梦：完成心愿，附情况和佐证', en: 'Fulfil a wish, with a summary and evidence (圆梦)' },
    example: {
      summary: '每周六上午辅导数学一小时，已坚持两个月',
      evidence: ['sha256:1b2c3d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcdef01'],
    },
  }),
  route({
    operationId: 'confirmWish',
    path: '/wishes/{wishId}/confirm',
    lifecycle: 'wish',
    codec: wish.confirmWish,
    pathParams: ['wishId'],
    roles: ['resident', ...collectors],
    summary: { zh: '心愿人确认是否满意', en: 'The wisher confirms the fulfilment, satisfied or not' },
    example: { verdict: 'satisfied' },
  }),
  route({
    operationId: 'showcaseWish',
    path: '/wishes/{wishId}/showcase',
    lifecycle: 'wish',
    codec: wish.showcaseWish,
    pathParams: ['wishId'],
    roles: ['office', 'member'],
    summary: { zh: '亮梦：在公示栏展示圆梦故事', en: 'Show a fulfilled wish on the board (亮梦)' },
    example: { story: '一名党员志愿者每周为孩子辅导数学，孩子期末成绩明显进步。' },
  }),
  route({
    operationId: 'cancelWish',
    path: '/wishes/{wishId}/cancel',
    lifecycle: 'wish',
    codec: wish.cancelWish,
    pathParams: ['wishId'],
    roles: ['resident', 'office', ...collectors],
    summary: {
      zh: '撤销心愿：心愿人撤回，或经核实无效',
      en: 'Cancel a wish: withdrawn by the wisher, or found invalid',
    },
    example: { grounds: 'withdrawn', reason: '家中已自行解决' },
  }),
  route({
    operationId: 'registerUnit',
    path: '/units',
    lifecycle: 'unit',
    codec: unitCommandCodecs.registerUnit,
    pathParams: [],
    roles: ['office'],
    summary: {
      zh: '登记单位（区、街镇、部门、社区、网格）',
      en: 'Register a unit (district, street, department, community, grid)',
    },
    example: { unitId: 'jz-sanlihe-c01-g09', name: '三里河社区第九网格', kind: 'grid', parentId: 'jz-sanlihe-c01' },
  }),
  route({
    operationId: 'renameUnit',
    path: '/units/{unitId}/rename',
    lifecycle: 'unit',
    codec: unitCommandCodecs.renameUnit,
    pathParams: ['unitId'],
    roles: ['office'],
    summary: { zh: '单位更名', en: 'Rename a unit' },
    example: { name: '三里河社区第九网格（新）' },
  }),
  route({
    operationId: 'retireUnit',
    path: '/units/{unitId}/retire',
    lifecycle: 'unit',
    codec: unitCommandCodecs.retireUnit,
    pathParams: ['unitId'],
    roles: ['office'],
    summary: { zh: '撤销单位（历史事项保留）', en: 'Retire a unit (its items keep their place)' },
    example: { reason: '网格调整合并' },
  }),
  route({
    operationId: 'registerPerson',
    path: '/people',
    lifecycle: 'person',
    codec: personCommandCodecs.registerPerson,
    pathParams: [],
    roles: ['office'],
    summary: { zh: '登记人员', en: 'Register a person' },
    example: { personId: 'official-0901', kind: 'official', name: '王建国' },
  }),
  route({
    operationId: 'grantRole',
    path: '/people/{personId}/roles',
    lifecycle: 'person',
    codec: personCommandCodecs.grantRole,
    pathParams: ['personId'],
    roles: ['office'],
    summary: { zh: '授予角色（在某单位）', en: 'Grant a role in a unit' },
    example: { role: 'secretary', unitId: 'jz-sanlihe-c01' },
  }),
  route({
    operationId: 'revokeRole',
    path: '/people/{personId}/roles/revoke',
    lifecycle: 'person',
    codec: personCommandCodecs.revokeRole,
    pathParams: ['personId'],
    roles: ['office'],
    summary: { zh: '收回角色', en: 'Revoke a role' },
    example: { role: 'secretary', unitId: 'jz-sanlihe-c01', reason: '换届' },
  }),
  route({
    operationId: 'deactivatePerson',
    path: '/people/{personId}/deactivate',
    lifecycle: 'person',
    codec: personCommandCodecs.deactivatePerson,
    pathParams: ['personId'],
    roles: ['office'],
    summary: { zh: '停用人员', en: 'Deactivate a person' },
    example: { reason: '调离本区' },
  }),
  route({
    operationId: 'launchCampaign',
    path: '/campaigns',
    lifecycle: 'campaign',
    codec: campaignCommandCodecs.launchCampaign,
    pathParams: [],
    roles: ['office'],
    summary: { zh: '发起活动，设定期限、目标和配额', en: 'Launch a campaign with its period, targets and quotas' },
    example: {
      campaignId: 'jz-2022',
      name: '千名书记解千题、万名党员圆万梦',
      districtId: 'jz',
      period: { from: '2022-01-01', to: '2022-12-31' },
      targets: { problemsSolved: 1000, wishesFulfilled: 10000 },
    },
  }),
  route({
    operationId: 'adjustCampaignTargets',
    path: '/campaigns/{campaignId}/targets',
    lifecycle: 'campaign',
    codec: campaignCommandCodecs.adjustCampaignTargets,
    pathParams: ['campaignId'],
    roles: ['office'],
    summary: { zh: '调整活动目标或配额', en: "Adjust a campaign's targets or quotas" },
    example: { reason: '年中调整', targets: { problemsSolved: 1200 } },
  }),
  route({
    operationId: 'closeCampaign',
    path: '/campaigns/{campaignId}/close',
    lifecycle: 'campaign',
    codec: campaignCommandCodecs.closeCampaign,
    pathParams: ['campaignId'],
    roles: ['office'],
    summary: { zh: '结束活动', en: 'Close a campaign' },
    example: { reason: '活动期满' },
  }),
  route({
    operationId: 'pairHousehold',
    path: '/pairings',
    lifecycle: 'pairing',
    codec: pairingCommandCodecs.pairHousehold,
    pathParams: [],
    generatedId: 'pairingId',
    roles: organisers,
    summary: { zh: '结对：党员干部与困难家庭结新亲', en: 'Pair an official with a household in need (结新亲)' },
    example: {
      pairingId: 'PR-2023-0001',
      unitId: 'jz-jiulong-c01',
      officialId: 'official-0001',
      category: 'tekun',
      household: { name: '王桂兰', phone: '138-0000-2222', address: '东庄村5号', location: '36.270100,120.033300' },
    },
  }),
  route({
    operationId: 'reassignPairing',
    path: '/pairings/{pairingId}/reassign',
    lifecycle: 'pairing',
    codec: pairingCommandCodecs.reassignPairing,
    pathParams: ['pairingId'],
    roles: organisers,
    summary: { zh: '换人：改由另一名干部结对', en: 'Pass a household to another official (history kept)' },
    example: { officialId: 'official-0002', reason: '原结对干部工作调动' },
  }),
  route({
    operationId: 'endPairing',
    path: '/pairings/{pairingId}/end',
    lifecycle: 'pairing',
    codec: pairingCommandCodecs.endPairing,
    pathParams: ['pairingId'],
    roles: organisers,
    summary: { zh: '结束结对', en: 'End a pairing' },
    example: { reason: '家庭已搬离本区' },
  }),
  route({
    operationId: 'recordHouseholdConsent',
    path: '/pairings/{pairingId}/consent',
    lifecycle: 'pairing',
    codec: pairingCommandCodecs.recordHouseholdConsent,
    pathParams: ['pairingId'],
    roles: pairedOfficials,
    summary: {
      zh: '记录结亲家庭是否同意展示匿名探亲日记摘录',
      en: "Record the household's consent to anonymised diary excerpts being shown, or its withdrawal",
    },
    example: { consent: 'given' },
  }),
  route({
    operationId: 'recordPairingVisit',
    path: '/pairings/{pairingId}/visits',
    lifecycle: 'pairing',
    codec: pairingCommandCodecs.recordPairingVisit,
    pathParams: ['pairingId'],
    generatedId: 'visitId',
    roles: pairedOfficials,
    summary: {
      zh: '探亲：记录一次走访、定位打卡和探亲日记',
      en: 'Record a visit (探亲) with its located check-in and diary',
    },
    example: {
      visitId: 'V-2023-0001',
      visitedAt: '2023-01-15T10:00:00+08:00',
      checkIn: { position: '36.270300,120.033400', accuracyMeters: 15 },
      diary: '王大娘说腿脚不好，冬天取暖煤还没到，已帮忙联系村里。',
      excerpt: '大娘拉着我的手说，今年冬天不冷了。',
    },
  }),
  route({
    operationId: 'linkPairingNeed',
    path: '/pairings/{pairingId}/needs',
    lifecycle: 'pairing',
    codec: pairingCommandCodecs.linkPairingNeed,
    pathParams: ['pairingId'],
    roles: pairedOfficials,
    summary: {
      zh: '结亲对象随时提报：记下需求转成的问题或微心愿',
      en: 'Note the problem or wish a need of the household became',
    },
    example: { kind: 'wish', itemId: 'W-2023-0001', visitId: 'V-2023-0001' },
  }),
  route({
    operationId: 'assignServiceOfficer',
    path: '/services',
    lifecycle: 'service',
    codec: service.assignServiceOfficer,
    pathParams: [],
    itemId: 'enterpriseId',
    roles: ['office'],
    summary: {
      zh: '指定服务专员：为一家企业指定一名服务干部（一企一专员）',
      en: 'Assign an official to serve an enterprise (企业服务专员, one per enterprise)',
    },
    example: {
      enterpriseId: 'ent-jz-0001',
      enterpriseName: '青岛某精密机械有限公司',
      unitId: 'jz-jiaoxi',
      officerId: 'official-0901',
    },
  }),
  route({
    operationId: 'replaceServiceOfficer',
    path: '/services/{enterpriseId}/officer',
    lifecycle: 'service',
    codec: service.replaceServiceOfficer,
    pathParams: ['enterpriseId'],
    roles: ['office'],
    summary: { zh: '更换服务专员（保留服务记录）', en: "Replace an enterprise's service officer (history kept)" },
    example: { officerId: 'official-0902', reason: '工作调整' },
  }),
  route({
    operationId: 'endService',
    path: '/services/{enterpriseId}/end',
    lifecycle: 'service',
    codec: service.endService,
    pathParams: ['enterpriseId'],
    roles: ['office'],
    summary: { zh: '结束企业服务', en: "End an enterprise's service" },
    example: { reason: '企业迁出本区' },
  }),
  route({
    operationId: 'recordServiceContact',
    path: '/services/{enterpriseId}/contacts',
    lifecycle: 'service',
    codec: service.recordServiceContact,
    pathParams: ['enterpriseId'],
    generatedId: 'contactId',
    roles: serviceOfficers,
    summary: {
      zh: '记录对接：宣传员、调研员、协办员、联络员所做的工作和发现的需求',
      en: 'Record a contact with the enterprise: the work done in the four roles and the needs found (对接)',
    },
    example: {
      contactId: 'C-2021-0001',
      date: '2021-11-08',
      kind: 'on_site',
      work: [
        { role: 'policy', summary: '宣讲技改补贴和留工培训补助政策' },
        { role: 'research', summary: '了解订单、用工和用电情况' },
      ],
      needs: [{ needId: 'N-2021-0001', description: '厂区门前道路破损，货车进出困难' }],
      contactPerson: { name: '刘经理' },
    },
  }),
  route({
    operationId: 'raiseServiceNeedAsProblem',
    path: '/services/{enterpriseId}/raised-problems',
    lifecycle: 'service',
    codec: service.raiseServiceNeedAsProblem,
    pathParams: ['enterpriseId'],
    roles: serviceOfficers,
    summary: {
      zh: '需求转题：记录一条需求已作为问题提出（征题时 origin 为 enterprise_service）',
      en: 'Link a need to the problem it was raised as (solicited with origin enterprise_service)',
    },
    example: { contactId: 'C-2021-0001', needId: 'N-2021-0001', problemId: 'P-2021-0002' },
  }),
];

/** The role an evaluation is given in follows from its kind: the codec names the kind, the route the role. */
const evaluationRole: Readonly<Record<string, DirectoryRole>> = {
  resident: 'resident',
  enterprise: 'enterprise',
  assessment: 'office',
};

/** The roles a caller may act in for this route and body, in the order the API tries them. */
export const rolesFor = (route: CommandRoute, data: Readonly<Record<string, unknown>>): readonly DirectoryRole[] => {
  if (route.operationId === 'evaluateProblem') {
    // 回访: the office records the raiser's verdict for them, whatever its kind.
    if (data.onBehalfOfRaiser === true) return ['office'];
    const role = evaluationRole[String(data.kind)];
    return role === undefined ? route.roles : [role];
  }
  return route.roles;
};

/**
 * The requests the API answers when it shares a port with the board (the embedded main job): its base,
 * its document and docs, and Open311's POST (the board answers Open311's reads).
 */
export const isApiRequest = (method: string, path: string): boolean =>
  path === apiBase ||
  path.startsWith(`${apiBase}/`) ||
  path === '/openapi.json' ||
  path === '/api/docs' ||
  path.startsWith('/api/docs/') ||
  (method === 'POST' && /^\/open311\/v2\/requests\.(json|xml)$/i.test(path));
