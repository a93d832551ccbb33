// The embedded main job's one port (board, API, workbench) over an in-memory PGlite with a small demo,
// projections following the log live, evidence in a temporary folder: what `pnpm start` serves, on a
// free loopback port. `settled()` waits until every projection has caught up with the log, so a spec can
// look at the board right after a form was posted. `session()` is a cookie-keeping HTTP client that signs
// in as a demo person and posts forms with the page's CSRF token, as a browser without JavaScript does.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiBase, closeServer, type DemoPerson, decodeApiConfig, demoPeople, issueDevToken } from '@banshishi/api';
import {
  commandHandler,
  createCorePersonalDataSealer,
  createDirectoryContextLoader,
  type PersonCommand,
  personDecider,
  personEventRegistry,
  personStreamIdOf,
  type UnitCommand,
  unitDecider,
  unitEventRegistry,
  unitStreamIdOf,
} from '@banshishi/core';
import { freshnessOf } from '@banshishi/read-models';
import * as E from 'fp-ts/lib/Either.js';
import { type HTMLElement, parse } from 'node-html-parser';
import { pino } from 'pino';
import { defaultTransparencyOrigin, type EmbeddedConfig } from '../config.js';
import { type Embedded, ensureDemo, followProjections, openEmbedded } from '../embedded.js';
import { startEmbeddedServer } from '../embedded-app.js';

export interface WorkbenchFixture {
  /** The board's address, without the trailing slash. */
  readonly url: string;
  readonly embedded: Embedded;
  readonly people: readonly DemoPerson[];
  readonly evidenceDir: string;
  /** Every log line the app wrote (board, API, workbench), at info and above: for specs that read them. */
  readonly logs: readonly string[];
  /** The first demo person holding `role` (optionally in a unit whose id starts with `unitPrefix`). */
  person(role: string, unitPrefix?: string): DemoPerson;
  /** Resolves once every projection has applied every event in the log. */
  settled(): Promise<void>;
  session(): WorkbenchSession;
  /** A call to the command API as a demo person (their dev token), for a spec's own setup. */
  api(
    personId: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /**
   * Directory commands as the system gives them (an office registers no district, and cannot make
   * someone a member elsewhere): straight to the store through core's handlers, then settled.
   */
  asSystem(
    commands: readonly (
      | Omit<Extract<UnitCommand, { type: 'registerUnit' }>, 'metadata'>
      | Omit<Extract<PersonCommand, { type: 'grantRole' }>, 'metadata'>
    )[],
  ): Promise<void>;
  close(): Promise<void>;
}

/** The fixture's token secret: specs may issue dev tokens with it. */
export const fixtureTokenSecret = new TextEncoder().encode('workbench-fixture-secret-0123456789abcdef0123456789');

export interface Answer {
  readonly status: number;
  readonly location: string | null;
  readonly contentType: string | null;
  readonly text: string;
  readonly headers: Headers;
  /** The page, parsed (empty for non-HTML answers). */
  readonly doc: HTMLElement;
}

export interface WorkbenchSession {
  get(path: string): Promise<Answer>;
  /**
   * Posts a form as the browser would: `fields` over the form's own hidden fields (the CSRF token, the
   * form key, the revision) when `form` is given — the form on the last page whose action is `path`.
   */
  post(path: string, fields?: Record<string, string>, options?: { readonly csrf?: boolean | string }): Promise<Answer>;
  /** A multipart post (files as [name, bytes, filename, type]). */
  postMultipart(
    path: string,
    fields: Record<string, string>,
    files: readonly (readonly [string, Uint8Array, string, string])[],
  ): Promise<Answer>;
  signIn(personId: string): Promise<Answer>;
  /** The hidden fields of the form posting to `action` on the last page fetched. */
  hiddenFieldsOf(action: string): Record<string, string>;
  readonly cookies: Map<string, string>;
  readonly last: Answer | null;
}

const config = (demoScale: number): EmbeddedConfig => ({
  dataDir: 'memory://',
  demoSeed: 2021,
  demoScale,
  port: 0,
  host: '127.0.0.1',
  logLevel: 'silent',
  rateLimitPerMinute: 100_000,
  transparencyOrigin: defaultTransparencyOrigin,
  checkpointIntervalSeconds: 60,
});

export const startWorkbenchFixture = async (
  options: { readonly demoScale?: number } = {},
): Promise<WorkbenchFixture> => {
  const cfg = config(options.demoScale ?? 300);
  const tokenSecret = fixtureTokenSecret;
  const apiConfig = decodeApiConfig(
    { API_RATE_LIMIT_PER_ADDRESS: '100000', API_RATE_LIMIT_PER_TOKEN: '100000' },
    { embeddedSecret: tokenSecret },
  );
  if (E.isLeft(apiConfig)) throw new Error(apiConfig.left.join('; '));
  const embedded = await openEmbedded(cfg);
  await ensureDemo(embedded, cfg);
  const projections = followProjections(embedded);
  await projections.caughtUp;
  const evidenceDir = await mkdtemp(join(tmpdir(), 'banshishi-evidence-'));
  const logs: string[] = [];
  const { server, url } = await startEmbeddedServer({
    embedded,
    config: cfg,
    apiConfig: apiConfig.right,
    tokenSecret,
    logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(line) }),
    evidenceDir,
  });
  const base = url.replace(/\/$/, '');
  const people = demoPeople({ seed: cfg.demoSeed, scale: cfg.demoScale });
  const settled = async () => {
    for (let i = 0; i < 400; i++) {
      const f = await freshnessOf(embedded.readModels, () => embedded.store.logHead());
      if (f.lagEvents === 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the projections did not catch up with the log within 10 s');
  };
  return {
    url: base,
    embedded,
    people,
    evidenceDir,
    logs,
    person(role, unitPrefix) {
      const found = people.find(
        (p) => p.role === role && (unitPrefix === undefined || p.unitId.startsWith(unitPrefix)),
      );
      if (found === undefined) throw new Error(`the demo has no ${role}${unitPrefix ? ` in ${unitPrefix}` : ''}`);
      return found;
    },
    settled,
    session: () => workbenchSession(base),
    async api(personId, method, path, body, headers = {}) {
      const token = await issueDevToken(tokenSecret, { personId });
      const response = await fetch(`${base}${apiBase}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
    },
    async asSystem(commands) {
      const { store, keys } = embedded;
      const common = { store, personalData: createCorePersonalDataSealer({ keys }) };
      const context = createDirectoryContextLoader(store);
      const units = commandHandler({
        ...common,
        decider: unitDecider,
        registry: unitEventRegistry,
        streamIdOf: unitStreamIdOf,
        context,
      });
      const people = commandHandler({
        ...common,
        decider: personDecider,
        registry: personEventRegistry,
        streamIdOf: personStreamIdOf,
        context,
      });
      for (const command of commands) {
        const metadata = {
          actor: { personId: 'fixture-system', role: 'system' as const },
          now: new Date().toISOString(),
        };
        const outcome =
          command.type === 'registerUnit'
            ? await units({ ...command, metadata })
            : await people({ ...command, metadata });
        if (E.isLeft(outcome)) throw new Error(`${command.type}: ${outcome.left.message}`);
      }
      await settled();
    },
    async close() {
      await closeServer(server);
      await projections.stop();
      await embedded.close();
      await rm(evidenceDir, { recursive: true, force: true });
    },
  };
};

export const workbenchSession = (base: string): WorkbenchSession => {
  const cookies = new Map<string, string>();
  let last: Answer | null = null;
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const request = async (path: string, init: RequestInit = {}): Promise<Answer> => {
    const response = await fetch(`${base}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader(), referer: `${base}${path}` },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
    const text = await response.text();
    const contentType = response.headers.get('content-type');
    const answer: Answer = {
      status: response.status,
      location: response.headers.get('location'),
      contentType,
      text,
      headers: response.headers,
      doc: parse(contentType?.includes('html') ? text : ''),
    };
    if (contentType?.includes('html')) last = answer;
    return answer;
  };
  const hiddenFieldsOf = (action: string): Record<string, string> => {
    const form = last?.doc.querySelectorAll('form').find((f) => f.getAttribute('action') === action);
    if (form === undefined) throw new Error(`no form posting to ${action} on the last page (${last?.status})`);
    return Object.fromEntries(
      form
        .querySelectorAll('input[type=hidden]')
        .map((i) => [i.getAttribute('name') ?? '', i.getAttribute('value') ?? '']),
    );
  };
  const csrfOnLastPage = () => last?.doc.querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
  const session: WorkbenchSession = {
    cookies,
    get last() {
      return last;
    },
    get: (path) => request(path),
    async post(path, fields = {}, options = {}) {
      const form = last?.doc.querySelectorAll('form').some((f) => f.getAttribute('action') === path)
        ? hiddenFieldsOf(path)
        : {};
      const all: Record<string, string> = { ...form, ...fields };
      if (options.csrf === false) delete all._csrf;
      else if (typeof options.csrf === 'string') all._csrf = options.csrf;
      else all._csrf ??= csrfOnLastPage();
      return request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(all).toString(),
      });
    },
    async postMultipart(path, fields, files) {
      const form = last?.doc.querySelectorAll('form').some((f) => f.getAttribute('action') === path)
        ? hiddenFieldsOf(path)
        : {};
      const body = new FormData();
      const all: Record<string, string> = { ...form, ...fields };
      all._csrf ??= csrfOnLastPage();
      for (const [k, v] of Object.entries(all)) body.append(k, v);
      for (const [name, bytes, filename, type] of files)
        body.append(name, new Blob([Buffer.from(bytes)], { type }), filename);
      return request(path, { method: 'POST', body });
    },
    async signIn(personId) {
      await request('/workbench/sign-in');
      return session.post('/workbench/sign-in', { personId });
    },
    hiddenFieldsOf,
  };
  return session;
};
