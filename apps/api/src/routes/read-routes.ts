// The API's reads and its one read with a side effect (personal data, recorded as it is read): the routes
// a client needs to act, described for the router and the OpenAPI document alike.
import { RevealPurposeCode } from '@banshishi/core';
import * as t from 'io-ts';
import type { Bilingual } from './command-routes.js';
import { Health, ItemState, Me, MyItems, MyWork, OfficeQueue, PersonalDataRead } from './responses.js';

export interface ReadRoute {
  readonly operationId: string;
  readonly method: 'get' | 'post';
  /** OpenAPI-style path under the API's base. */
  readonly path: string;
  readonly pathParams: readonly string[];
  /** A POST read's body codec (the purpose of a personal-data read). */
  readonly body?: t.Mixed;
  readonly example?: Readonly<Record<string, unknown>>;
  /** The 200 answer's codec. */
  readonly response: t.Mixed;
  /** Whether the answer carries an ETag of the item's revision. */
  readonly etag: boolean;
  /** False for the health check only. */
  readonly authenticated: boolean;
  /** Answered from the read models: 503 while they are not built yet, and a freshness note. */
  readonly fromReadModels?: boolean;
  readonly summary: Bilingual;
}

/** Why a raiser's or wisher's details are read: the purposes a person may give through the API. */
export const PersonalDataReadData = t.exact(
  t.intersection([t.type({ purpose: RevealPurposeCode }), t.partial({ statement: t.string })]),
  'PersonalDataReadData',
);

export const readRoutes: readonly ReadRoute[] = [
  {
    operationId: 'health',
    method: 'get',
    path: '/healthz',
    pathParams: [],
    response: Health,
    etag: false,
    authenticated: false,
    summary: { zh: '健康检查', en: 'Health check' },
  },
  {
    operationId: 'me',
    method: 'get',
    path: '/me',
    pathParams: [],
    response: Me,
    etag: false,
    authenticated: true,
    summary: { zh: '我是谁：目录中的角色和单位', en: 'Who I am: my roles and units, from the directory' },
  },
  {
    operationId: 'myClaims',
    method: 'get',
    path: '/me/claims',
    pathParams: [],
    response: MyWork,
    etag: false,
    authenticated: true,
    fromReadModels: true,
    summary: { zh: '我认领的事项及期限', en: 'Items I have claimed, with their deadlines' },
  },
  {
    operationId: 'myClaimable',
    method: 'get',
    path: '/me/claimable',
    pathParams: [],
    response: MyWork,
    etag: false,
    authenticated: true,
    fromReadModels: true,
    summary: { zh: '我可以认领的事项', en: 'Items I may claim' },
  },
  {
    operationId: 'myItems',
    method: 'get',
    path: '/me/items',
    pathParams: [],
    response: MyItems,
    etag: false,
    authenticated: true,
    fromReadModels: true,
    summary: {
      zh: '我的诉求：我提出的问题和心愿（居民、企业）',
      en: 'Items I raised: my problems and wishes (residents and enterprises)',
    },
  },
  {
    operationId: 'myQueue',
    method: 'get',
    path: '/me/queue',
    pathParams: [],
    response: OfficeQueue,
    etag: false,
    authenticated: true,
    fromReadModels: true,
    summary: {
      zh: '派单：待转办、超期、退回重办、待评价的问题，待亮梦和无人认领的心愿（仅领导小组办公室）',
      en: 'The office queue: problems to route, overdue, reopened and awaiting a verdict; wishes to showcase and unclaimed (office only)',
    },
  },
  {
    operationId: 'getProblem',
    method: 'get',
    path: '/problems/{problemId}',
    pathParams: ['problemId'],
    response: ItemState,
    etag: true,
    authenticated: true,
    summary: { zh: '问题的当前状态和版本', en: "A problem's current state and revision" },
  },
  {
    operationId: 'getWish',
    method: 'get',
    path: '/wishes/{wishId}',
    pathParams: ['wishId'],
    response: ItemState,
    etag: true,
    authenticated: true,
    summary: { zh: '心愿的当前状态和版本', en: "A wish's current state and revision" },
  },
  {
    operationId: 'readProblemRaiser',
    method: 'post',
    path: '/problems/{problemId}/raiser-contact',
    pathParams: ['problemId'],
    body: PersonalDataReadData,
    example: { purpose: 'contact_resident', statement: '电话联系居民，约定上门查看时间' },
    response: PersonalDataRead,
    etag: false,
    authenticated: true,
    summary: {
      zh: '查看提出人的联系方式（仅认领人和领导小组办公室；每次查看都记录在案）',
      en: "Read the raiser's contact details (claimant and office only; every read is recorded)",
    },
  },
  {
    operationId: 'readWishWisher',
    method: 'post',
    path: '/wishes/{wishId}/wisher-contact',
    pathParams: ['wishId'],
    body: PersonalDataReadData,
    example: { purpose: 'contact_resident', statement: '联系心愿人确认辅导时间' },
    response: PersonalDataRead,
    etag: false,
    authenticated: true,
    summary: {
      zh: '查看心愿人的联系方式（仅认领党员和领导小组办公室；每次查看都记录在案）',
      en: "Read the wisher's contact details (claiming member and office only; every read is recorded)",
    },
  },
];
