// The API's documentation as one HTML page, rendered on the server from the OpenAPI document itself: an
// operation is documented here exactly as the document describes it. No script and no inline style (the
// API's CSP forbids both); the stylesheet is a file the app serves at `docsCssUrl`.
import { fileURLToPath } from 'node:url';
import type {
  MediaTypeObject,
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  PathItemObject,
  ReferenceObject,
  RequestBodyObject,
  ResponseObject,
  SchemaObject,
} from 'openapi3-ts/oas31';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { summaryEnKey } from './document.js';

export type DocsLang = 'zh' | 'en';

/** The stylesheet on disk, for the app to serve at `docsCssUrl`. */
export const docsCssPath = fileURLToPath(new URL('./docs.css', import.meta.url));
export const docsCssUrl = '/api/docs/docs.css';

const messages = {
  zh: {
    code: 'zh-CN',
    title: '办实事 API 文档',
    intro: '命令接口：每条命令记录为事件。除健康检查和 Open311 接入外，都需要 Bearer 令牌（JWT）。',
    skip: '跳到正文',
    contents: '目录',
    switchTo: 'English',
    machineReadable: 'OpenAPI 3.1 文档（JSON）',
    parameters: '参数',
    body: '请求正文',
    example: '示例',
    responses: '答复',
    name: '名称',
    location: '位置',
    type: '类型',
    required: '必填',
    personal: '个人信息',
    description: '说明',
    yes: '是',
    no: '否',
    personalMark: '是（加密存储）',
    onlyWhen: (condition: string) => `仅当 ${condition}`,
    oneOf: '以下之一',
    itemsOf: (type: string) => `${type} 的列表`,
    atMost: (n: number) => `最多 ${n} 个字符`,
    items: (min: number | undefined, max: number | undefined) => `${min ?? 0}–${max ?? '∞'} 项`,
    noAuth: '无需令牌',
    footer: '本页由 OpenAPI 文档生成。',
  },
  en: {
    code: 'en',
    title: 'banshishi API documentation',
    intro:
      'The command API: every command is stored as events. Every route but the health check and the Open311 intake needs a bearer token (JWT).',
    skip: 'Skip to the content',
    contents: 'Contents',
    switchTo: '中文',
    machineReadable: 'The OpenAPI 3.1 document (JSON)',
    parameters: 'Parameters',
    body: 'Request body',
    example: 'Example',
    responses: 'Responses',
    name: 'Name',
    location: 'In',
    type: 'Type',
    required: 'Required',
    personal: 'Personal data',
    description: 'Description',
    yes: 'yes',
    no: 'no',
    personalMark: 'yes (stored encrypted)',
    onlyWhen: (condition: string) => `only when ${condition}`,
    oneOf: 'one of the following',
    itemsOf: (type: string) => `list of ${type}`,
    atMost: (n: number) => `at most ${n} characters`,
    items: (min: number | undefined, max: number | undefined) => `${min ?? 0}–${max ?? '∞'} items`,
    noAuth: 'no token needed',
    footer: 'This page is generated from the OpenAPI document.',
  },
} as const;

type Messages = (typeof messages)[DocsLang];

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  readonly path: string;
  readonly method: (typeof methods)[number];
  readonly op: OperationObject;
}

/** The document's texts are Chinese, a blank line, then English: the reader's half. */
const inLang = (text: string | undefined, lang: DocsLang): string => {
  const parts = (text ?? '').split('\n\n');
  return (lang === 'zh' ? parts[0] : (parts[1] ?? parts[0])) ?? '';
};

const resolve = <T extends object>(doc: OpenAPIObject, value: T | ReferenceObject | undefined): T | undefined => {
  if (value === undefined || !('$ref' in value)) return value;
  const [, , kind, name] = value.$ref.split('/');
  const section = (doc.components as Record<string, Record<string, unknown>> | undefined)?.[kind ?? ''];
  return resolve(doc, section?.[name ?? ''] as T | ReferenceObject | undefined);
};

const operationsOf = (doc: OpenAPIObject): Operation[] =>
  Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    methods.flatMap((method) => {
      const op = (item as PathItemObject)[method];
      return op === undefined ? [] : [{ path, method, op }];
    }),
  );

interface FieldRow {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly personal: boolean;
  readonly description: string;
}

const typeText = (doc: OpenAPIObject, given: SchemaObject | ReferenceObject, m: Messages): string => {
  const s = resolve(doc, given) ?? {};
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum !== undefined) return s.enum.map((v) => String(v)).join(' | ');
  if (s.oneOf !== undefined || s.anyOf !== undefined) return m.oneOf;
  const type = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
  if (type === 'array') {
    const item = s.items === undefined ? 'any' : typeText(doc, s.items, m);
    const bounds = s.minItems !== undefined || s.maxItems !== undefined ? `, ${m.items(s.minItems, s.maxItems)}` : '';
    return `${m.itemsOf(item)}${bounds}`;
  }
  const format = s.format === undefined ? '' : ` (${s.format})`;
  const length = s.maxLength === undefined ? '' : `, ${m.atMost(s.maxLength)}`;
  return `${type}${format}${length}`;
};

/** A constant property that tells a union's members apart: `kind = resident`. */
const conditionOf = (doc: OpenAPIObject, member: SchemaObject): string | undefined => {
  for (const [key, prop] of Object.entries(member.properties ?? {})) {
    const value = resolve(doc, prop)?.const;
    if (value !== undefined) return `${key} = ${String(value)}`;
  }
  return undefined;
};

/** Every field of a body, nested ones as `raiser.name`, list items as `evidence[].uri`. */
const fieldRows = (
  doc: OpenAPIObject,
  given: SchemaObject | ReferenceObject | undefined,
  m: Messages,
  lang: DocsLang,
  prefix = '',
  condition?: string,
): FieldRow[] => {
  const s = resolve(doc, given);
  if (s === undefined) return [];
  const members = s.oneOf ?? s.anyOf;
  if (members !== undefined)
    return members.flatMap((member) => {
      const resolved = resolve(doc, member) ?? {};
      return fieldRows(doc, resolved, m, lang, prefix, conditionOf(doc, resolved) ?? condition);
    });
  if (s.type === 'array' && s.items !== undefined) return fieldRows(doc, s.items, m, lang, `${prefix}[]`, condition);
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {}).flatMap(([key, prop]) => {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    const p = resolve(doc, prop) ?? {};
    const personal = p['x-personal-data'] !== undefined;
    const own = personal ? '' : lang === 'en' ? (p.description ?? '') : '';
    const row: FieldRow = {
      name,
      type: typeText(doc, prop, m),
      required: required.has(key),
      personal,
      description: [condition === undefined ? '' : m.onlyWhen(condition), own].filter((x) => x !== '').join('; '),
    };
    const nested =
      p.properties !== undefined || p.oneOf !== undefined || p.anyOf !== undefined || p.type === 'array'
        ? fieldRows(doc, p, m, lang, name, condition)
        : [];
    return [row, ...nested];
  });
};

const ScrollTable = ({ label, children }: { label: string; children: ComponentChildren }) => (
  // A table wider than a phone scrolls; the region is focusable so a keyboard can scroll it too.
  <section class="table-wrap" aria-label={label} tabindex={0}>
    <table>{children}</table>
  </section>
);

const Parameters = ({ doc, op, m, lang }: { doc: OpenAPIObject; op: OperationObject; m: Messages; lang: DocsLang }) => {
  const params = (op.parameters ?? []).flatMap((p) => {
    const r = resolve<ParameterObject>(doc, p);
    return r === undefined ? [] : [r];
  });
  if (params.length === 0) return null;
  const label = `${op.operationId}: ${m.parameters}`;
  return (
    <>
      <h4>{m.parameters}</h4>
      <ScrollTable label={label}>
        <thead>
          <tr>
            <th scope="col">{m.name}</th>
            <th scope="col">{m.location}</th>
            <th scope="col">{m.type}</th>
            <th scope="col">{m.required}</th>
            <th scope="col">{m.description}</th>
          </tr>
        </thead>
        <tbody>
          {params.map((p) => (
            <tr key={`${p.in}-${p.name}`}>
              <th scope="row">
                <code>{p.name}</code>
              </th>
              <td>{p.in}</td>
              <td>{p.schema === undefined ? '' : typeText(doc, p.schema, m)}</td>
              <td>{p.required ? m.yes : m.no}</td>
              <td>{inLang(p.description, lang)}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
    </>
  );
};

const exampleText = (media: MediaTypeObject): string | undefined =>
  media.example === undefined ? undefined : JSON.stringify(media.example, null, 2);

const Body = ({ doc, op, m, lang }: { doc: OpenAPIObject; op: OperationObject; m: Messages; lang: DocsLang }) => {
  const body = resolve<RequestBodyObject>(doc, op.requestBody);
  const [mediaType, media] = Object.entries(body?.content ?? {})[0] ?? [];
  if (mediaType === undefined || media === undefined) return null;
  const rows = fieldRows(doc, media.schema, m, lang);
  const example = exampleText(media);
  return (
    <>
      <h4>
        {m.body} <code>{mediaType}</code>
      </h4>
      {rows.length > 0 && (
        <ScrollTable label={`${op.operationId}: ${m.body}`}>
          <thead>
            <tr>
              <th scope="col">{m.name}</th>
              <th scope="col">{m.type}</th>
              <th scope="col">{m.required}</th>
              <th scope="col">{m.personal}</th>
              <th scope="col">{m.description}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              // Union members repeat a field's name, so the row's place keys it.
              <tr key={`${i}-${r.name}`}>
                <th scope="row">
                  <code>{r.name}</code>
                </th>
                <td>{r.type}</td>
                <td>{r.required ? m.yes : m.no}</td>
                <td>{r.personal ? <strong class="personal">{m.personalMark}</strong> : ''}</td>
                <td>{r.description}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
      {example !== undefined && (
        <>
          <h4>{m.example}</h4>
          <pre>
            <code>{example}</code>
          </pre>
        </>
      )}
    </>
  );
};

const Responses = ({ doc, op, m, lang }: { doc: OpenAPIObject; op: OperationObject; m: Messages; lang: DocsLang }) => (
  <>
    <h4>{m.responses}</h4>
    <ul class="responses">
      {Object.entries(op.responses ?? {}).map(([status, given]) => {
        const r = resolve<ResponseObject>(doc, given as ResponseObject | ReferenceObject);
        const types = Object.keys(r?.content ?? {});
        return (
          <li key={status}>
            <strong class="status">{status}</strong> {inLang(r?.description, lang)}
            {types.length > 0 && (
              <>
                {' '}
                <code>{types.join(', ')}</code>
              </>
            )}
          </li>
        );
      })}
    </ul>
  </>
);

const OperationSection = ({ doc, o, m, lang }: { doc: OpenAPIObject; o: Operation; m: Messages; lang: DocsLang }) => {
  const summary = lang === 'zh' ? o.op.summary : String(o.op[summaryEnKey] ?? o.op.summary);
  const notes = (o.op.description ?? '').split('\n\n').slice(2);
  const open = o.op.security !== undefined && o.op.security.length === 0;
  return (
    <section class="operation" id={o.op.operationId} aria-labelledby={`${o.op.operationId}-title`}>
      <h3 id={`${o.op.operationId}-title`}>{summary}</h3>
      <p class="endpoint">
        <span class={`method method-${o.method}`}>{o.method.toUpperCase()}</span> <code>{o.path}</code>
        {open && <span class="open"> · {m.noAuth}</span>}
      </p>
      <p class="operation-id">
        operationId: <code>{o.op.operationId}</code>
      </p>
      {notes.map((note) => (
        <p key={note}>{note}</p>
      ))}
      <Parameters doc={doc} op={o.op} m={m} lang={lang} />
      <Body doc={doc} op={o.op} m={m} lang={lang} />
      <Responses doc={doc} op={o.op} m={m} lang={lang} />
    </section>
  );
};

const DocsPage = ({ doc, lang }: { doc: OpenAPIObject; lang: DocsLang }) => {
  const m = messages[lang];
  const other: DocsLang = lang === 'zh' ? 'en' : 'zh';
  const operations = operationsOf(doc);
  const tags = (doc.tags ?? []).filter((tag) => operations.some((o) => o.op.tags?.includes(tag.name)));
  return (
    <html lang={m.code}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${m.title} · ${doc.info.version}`}</title>
        <link rel="stylesheet" href={docsCssUrl} />
      </head>
      <body>
        <a class="skip" href="#main">
          {m.skip}
        </a>
        <header class="site">
          <p class="brand">{doc.info.title}</p>
          <a class="lang" href={`?lang=${other}`} hreflang={messages[other].code} lang={messages[other].code}>
            {m.switchTo}
          </a>
        </header>
        <nav aria-label={m.contents}>
          <ul>
            {tags.map((tag) => (
              <li key={tag.name}>
                <a href={`#tag-${tag.name}`}>{inLang(tag.description, lang)}</a>
              </li>
            ))}
            <li>
              <a href="/openapi.json">{m.machineReadable}</a>
            </li>
          </ul>
        </nav>
        <main id="main">
          <h1>{m.title}</h1>
          <p>{m.intro}</p>
          <p>
            <a href="/openapi.json">{m.machineReadable}</a> · {doc.info.version}
          </p>
          {tags.map((tag) => (
            <section key={tag.name} id={`tag-${tag.name}`} aria-labelledby={`tag-${tag.name}-title`}>
              <h2 id={`tag-${tag.name}-title`}>{inLang(tag.description, lang)}</h2>
              {operations
                .filter((o) => o.op.tags?.[0] === tag.name)
                .map((o) => (
                  <OperationSection key={o.op.operationId} doc={doc} o={o} m={m} lang={lang} />
                ))}
            </section>
          ))}
        </main>
        <footer>
          <p>{m.footer}</p>
        </footer>
      </body>
    </html>
  );
};

/** The whole page, doctype included. */
export const renderApiDocs = (doc: OpenAPIObject, lang: DocsLang): string =>
  `<!doctype html>${renderToString(<DocsPage doc={doc} lang={lang} />)}`;
