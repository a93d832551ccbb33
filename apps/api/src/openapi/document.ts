// The API's OpenAPI 3.1 document, built from the route tables and the response codecs the router uses,
// so that what is documented is what is served. Paths are written in full (`/api/v1/problems`), since the
// Open311 intake lives outside the API's base; `servers` names only the origin.
import { directoryRoles, isoTimestamp } from '@banshishi/core';
import type * as t from 'io-ts';
import {
  type HeaderObject,
  type OpenAPIObject,
  OpenApiBuilder,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type ResponseObject,
  type ResponsesObject,
  type SchemaObject,
} from 'openapi3-ts/oas31';
import { apiBase, type Bilingual, type CommandRoute, commandRoutes, type Lifecycle } from '../routes/command-routes.js';
import {
  Open311Errors,
  type Open311PostRoute,
  Open311RequestCreated,
  open311PostRoutes,
} from '../routes/open311-route.js';
import { type ReadRoute, readRoutes } from '../routes/read-routes.js';
import { CommandAccepted, ProblemDetails } from '../routes/responses.js';
import { jsonSchemaOf, type SchemaComponents, schemaComponents, schemaOf } from './json-schema.js';

/** An operation's English summary: `summary` itself is the Chinese one, the API's first language. */
export const summaryEnKey = 'x-summary-en';

/** The same alphabet as ProblemId: ids travel in stream names and URLs. */
export const pathIdPattern = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$';

export type TagName = Lifecycle | 'me' | 'system' | 'open311';

export const tags: readonly { readonly name: TagName; readonly title: Bilingual }[] = [
  { name: 'problem', title: { zh: '问题（千名书记解千题）', en: 'Problems (千名书记解千题)' } },
  { name: 'wish', title: { zh: '微心愿（万名党员圆万梦）', en: 'Wishes (万名党员圆万梦)' } },
  {
    name: 'visit',
    title: { zh: '走访（入户走访、五问五解决、处长网格员）', en: 'Visits (入户走访, 五问五解决, 处长网格员)' },
  },
  { name: 'unit', title: { zh: '单位', en: 'Units' } },
  { name: 'person', title: { zh: '人员和角色', en: 'People and roles' } },
  { name: 'campaign', title: { zh: '活动', en: 'Campaigns' } },
  { name: 'pairing', title: { zh: '结新亲（党员干部结对帮扶）', en: 'Pairings (党员干部结新亲)' } },
  { name: 'service', title: { zh: '企业服务', en: 'Enterprise service' } },
  { name: 'me', title: { zh: '我的工作', en: 'My work' } },
  { name: 'open311', title: { zh: 'Open311 接入', en: 'Open311 intake' } },
  { name: 'system', title: { zh: '系统', en: 'System' } },
];

const readTag = (route: ReadRoute): TagName => {
  if (!route.authenticated) return 'system';
  if (route.path.startsWith('/me')) return 'me';
  return route.path.startsWith('/wishes') ? 'wish' : 'problem';
};

const both = (text: Bilingual): string => `${text.zh}\n\n${text.en}`;

const ref = (kind: 'parameters' | 'responses' | 'headers', name: string): ReferenceObject => ({
  $ref: `#/components/${kind}/${name}`,
});

const headerParameters: Record<string, ParameterObject> = {
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: both({
      zh: '幂等键：同一键重试时返回第一次的结果，不会重复记录。',
      en: 'A retry with the same key answers the first result and stores nothing new (replayed: true).',
    }),
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]{1,255}$' },
  },
  IfMatch: {
    name: 'If-Match',
    in: 'header',
    required: false,
    description: both({
      zh: '期望的版本（上次答复中的 ETag）。事项已变化时返回 412。',
      en: 'The revision the client expects, as the ETag it was given ("<revision>"); 412 when the item has moved on.',
    }),
    schema: { type: 'string', pattern: '^"-?[0-9]+"$' },
  },
  ActingRole: {
    name: 'X-Acting-Role',
    in: 'header',
    required: false,
    description: both({
      zh: '以所担任的哪个角色办理；不填时按路由列出的角色顺序选取。',
      en: "Which of the caller's roles to act in; without it the API picks the first of the route's roles the caller holds.",
    }),
    schema: { type: 'string', enum: [...directoryRoles] },
  },
  OccurredAt: {
    name: 'X-Occurred-At',
    in: 'header',
    required: false,
    description: both({
      zh: '离线记录的办理时间（带时区的 ISO-8601），仅限获准补录的集成客户端。',
      en: 'When an act recorded offline happened (ISO-8601 with an offset); integration clients allowed to backdate only.',
    }),
    schema: jsonSchemaOf(isoTimestamp),
  },
  IfNoneMatch: {
    name: 'If-None-Match',
    in: 'header',
    required: false,
    description: both({
      zh: '上次答复中的 ETag；事项未变化时返回 304。',
      en: 'The ETag of an earlier answer; 304 when the item has not changed since.',
    }),
    schema: { type: 'string' },
  },
};

const etagHeader: HeaderObject = {
  description: both({
    zh: '事项的版本，可用于 If-Match / If-None-Match。',
    en: 'The item\'s revision, "<revision>", for If-Match and If-None-Match.',
  }),
  schema: { type: 'string', pattern: '^"-?[0-9]+"$' },
};

/** Each problem status, with the domain error codes (and other causes) that give it. */
const problemResponses: Record<string, { readonly status: number; readonly text: Bilingual }> = {
  BadRequest: {
    status: 400,
    text: {
      zh: '请求无效（validation）：正文不合格式、含未声明的字段，或请求头不合规则；fields 列出出错的字段。',
      en: 'Invalid request (code validation): a body the codec refuses, an undeclared field, or a malformed header; `fields` names each bad field.',
    },
  },
  Unauthorized: {
    status: 401,
    text: { zh: '缺少令牌，或令牌无效、已过期。', en: 'No bearer token, or one that is invalid or expired.' },
  },
  Forbidden: {
    status: 403,
    text: {
      zh: '无权办理（forbidden）：不担任所需角色，或不在该事项的单位范围内。',
      en: 'Not allowed (code forbidden): the caller holds none of the roles, or not in the unit the item belongs to.',
    },
  },
  NotFound: {
    status: 404,
    text: { zh: '事项不存在（not_found）。', en: 'No such item (code not_found).' },
  },
  Conflict: {
    status: 409,
    text: {
      zh: '与其他写入冲突（conflict），例如编号已被使用，或同一幂等键用于不同的请求。',
      en: 'A conflict with another write (code conflict): an id already taken, or an Idempotency-Key reused for a different request.',
    },
  },
  PreconditionFailed: {
    status: 412,
    text: {
      zh: 'If-Match 与当前版本不符（precondition_failed）；currentRevision 给出当前版本。',
      en: 'If-Match no longer holds (code precondition_failed); `currentRevision` is the revision the item is at.',
    },
  },
  UnprocessableContent: {
    status: 422,
    text: {
      zh: '当前状态下不能办理（invalid_state），例如未认领的问题不能解题；rule 给出所违反的规则。',
      en: "Not possible in the item's current state (code invalid_state), e.g. solving an unclaimed problem; `rule` names the rule.",
    },
  },
  TooManyRequests: {
    status: 429,
    text: {
      zh: '请求过于频繁，请按 Retry-After 稍后重试。',
      en: 'Too many requests: retry after Retry-After seconds.',
    },
  },
  ServiceUnavailable: {
    status: 503,
    text: {
      zh: '暂时无法办理（数据库不可用，或读模型尚未建好），请按 Retry-After 稍后重试。',
      en: 'Not available just now (the database is away, or the read models are not built yet): retry after Retry-After seconds.',
    },
  },
};

const problemResponse = (name: keyof typeof problemResponses): ReferenceObject => ref('responses', name);

const commandErrors: ResponsesObject = Object.fromEntries(
  Object.entries(problemResponses).map(([name, r]) => [String(r.status), problemResponse(name)]),
);

const readErrors = (route: ReadRoute): ResponsesObject => {
  const names: (keyof typeof problemResponses)[] = route.authenticated
    ? [
        ...(route.body === undefined ? [] : ['BadRequest' as const]),
        'Unauthorized',
        'Forbidden',
        'TooManyRequests',
        'ServiceUnavailable',
      ]
    : ['TooManyRequests', 'ServiceUnavailable'];
  if (route.pathParams.length > 0) names.push('NotFound');
  return Object.fromEntries(names.map((n) => [String(problemResponses[n]!.status), problemResponse(n)]));
};

const pathParameter = (name: string): ParameterObject => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: pathIdPattern },
});

const json = (schema: SchemaObject | ReferenceObject, example?: unknown) => ({
  'application/json': { schema, ...(example === undefined ? {} : { example }) },
});

const roleList = (route: CommandRoute): string => route.roles.join(', ');

const commandOperation = (route: CommandRoute, components: SchemaComponents): OperationObject => {
  const creates = route.pathParams.length === 0;
  const schema = jsonSchemaOf(route.codec, {
    omit: route.pathParams,
    optional: route.generatedId === undefined ? [] : [route.generatedId],
    components,
  });
  const generated =
    route.generatedId === undefined
      ? ''
      : `\n\n${route.generatedId}: 可不填，由服务器生成（有幂等键时由其导出）。 / Optional: the server makes one when it is left out (from the Idempotency-Key when there is one).`;
  return {
    operationId: route.operationId,
    summary: route.summary.zh,
    [summaryEnKey]: route.summary.en,
    description: `${both(route.summary)}\n\n可办理的角色 / Roles: ${roleList(route)}${generated}`,
    tags: [route.lifecycle],
    parameters: [
      ...route.pathParams.map(pathParameter),
      ref('parameters', 'IdempotencyKey'),
      ...(creates ? [] : [ref('parameters', 'IfMatch')]),
      ref('parameters', 'ActingRole'),
      ref('parameters', 'OccurredAt'),
    ],
    requestBody: { required: true, content: json(schema, route.example) },
    responses: {
      [creates ? '201' : '200']: {
        description: creates
          ? both({ zh: '已记录：新事项的事件和版本。', en: "Stored: the new item's events and revision." })
          : both({
              zh: '已记录：本次的事件和事项的新版本。',
              en: "Stored: the events of this command and the item's new revision.",
            }),
        headers: { ETag: ref('headers', 'ETag') },
        content: json(schemaOf(CommandAccepted, components)),
      },
      ...commandErrors,
    },
  };
};

const readOperation = (route: ReadRoute, components: SchemaComponents): OperationObject => ({
  operationId: route.operationId,
  summary: route.summary.zh,
  [summaryEnKey]: route.summary.en,
  description: both(route.summary),
  tags: [readTag(route)],
  ...(route.authenticated ? {} : { security: [] }),
  parameters: [...route.pathParams.map(pathParameter), ...(route.etag ? [ref('parameters', 'IfNoneMatch')] : [])],
  ...(route.body === undefined
    ? {}
    : {
        requestBody: {
          required: true,
          content: json(jsonSchemaOf(route.body, { omit: route.pathParams, components }), route.example),
        },
      }),
  responses: {
    '200': {
      description: both({ zh: '成功。', en: 'OK.' }),
      ...(route.etag ? { headers: { ETag: ref('headers', 'ETag') } } : {}),
      content: json(schemaOf(route.response, components)),
    },
    ...(route.etag
      ? {
          '304': {
            description: both({
              zh: '自 If-None-Match 所给版本以来未变化。',
              en: 'Not changed since the If-None-Match revision.',
            }),
          },
        }
      : {}),
    ...readErrors(route),
  },
});

/** The same list in XML, as GeoReport v2 writes it: `<service_requests><request>…`, `<errors><error>…`. */
const open311Xml = (codec: t.Mixed, wrapper: string, element: string, components: SchemaComponents): SchemaObject => {
  const schema = jsonSchemaOf(codec, { components });
  return {
    ...schema,
    xml: { name: wrapper, wrapped: true },
    items: { ...(schema.items ?? {}), xml: { name: element } },
  };
};

const open311Operation = (route: Open311PostRoute, components: SchemaComponents): OperationObject => {
  const contentType = route.format === 'json' ? 'application/json' : 'text/xml';
  const body = (codec: t.Mixed, wrapper: string, element: string) => ({
    [contentType]: {
      schema:
        route.format === 'json' ? jsonSchemaOf(codec, { components }) : open311Xml(codec, wrapper, element, components),
    },
  });
  const errors: ResponseObject = {
    description: both({
      zh: '请求无效（400）或 api_key 无效（403），以 GeoReport v2 的错误列表答复。',
      en: 'An invalid request (400) or api_key (403), answered as GeoReport v2 errors.',
    }),
    content: body(Open311Errors, 'errors', 'error'),
  };
  return {
    operationId: route.operationId,
    summary: route.summary.zh,
    [summaryEnKey]: route.summary.en,
    description: `${both(route.summary)}\n\n以表单提交，api_key 为应用的密钥；位置须给出 lat + long、address_string 或 address_id 之一。 / Form-encoded; api_key is the application's key. A location is one of lat + long, address_string or address_id. Answered in ${route.format.toUpperCase()}.`,
    tags: ['open311'],
    security: [],
    requestBody: {
      required: true,
      content: {
        'application/x-www-form-urlencoded': {
          schema: jsonSchemaOf(route.codec, { components }),
          example: route.example,
        },
      },
    },
    responses: {
      '200': {
        description: both({ zh: '已受理：新问题的编号。', en: 'Taken: the id of the new problem.' }),
        content: body(Open311RequestCreated, 'service_requests', 'request'),
      },
      '400': errors,
      '403': errors,
      '503': errors,
    },
  };
};

export const openApiDocument = (options: { serverUrl?: string; version: string }): OpenAPIObject => {
  const components = schemaComponents();
  const builder = OpenApiBuilder.create()
    .addOpenApiVersion('3.1.0')
    .addInfo({
      title: '办实事 banshishi API',
      version: options.version,
      description: both({
        zh: '千名书记解千题、万名党员圆万梦的命令接口：每条命令记录为事件；居民的个人信息加密存储。',
        en: "The command API of the campaign: every command is stored as events; residents' personal data is stored encrypted.",
      }),
    })
    .addServer({ url: options.serverUrl ?? '/' })
    .addSecurityScheme('bearer', {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: both({ zh: '目录中人员的访问令牌。', en: 'An access token of a person in the directory.' }),
    })
    .addHeader('ETag', etagHeader);
  builder.rootDoc.security = [{ bearer: [] }];
  for (const tag of tags) builder.addTag({ name: tag.name, description: both(tag.title) });
  for (const [name, parameter] of Object.entries(headerParameters)) builder.addParameter(name, parameter);
  for (const [name, r] of Object.entries(problemResponses))
    builder.addResponse(name, {
      description: both(r.text),
      ...(r.status === 429 || r.status === 503
        ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } }
        : {}),
      content: { 'application/problem+json': { schema: schemaOf(ProblemDetails, components) } },
    });

  const paths = new Map<string, Record<string, OperationObject>>();
  const add = (path: string, method: string, operation: OperationObject) =>
    paths.set(path, { ...(paths.get(path) ?? {}), [method]: operation });
  for (const route of commandRoutes) add(`${apiBase}${route.path}`, route.method, commandOperation(route, components));
  for (const route of readRoutes) add(`${apiBase}${route.path}`, route.method, readOperation(route, components));
  for (const route of open311PostRoutes) add(route.path, route.method, open311Operation(route, components));
  for (const [path, item] of paths) builder.addPath(path, item);
  for (const [name, schema] of Object.entries(components.schemas)) builder.addSchema(name, schema);
  return builder.getSpec();
};
