// The Open311 GeoReport v2 endpoints over HTTP, against a seeded board: every field of the spec with its
// type, XML that is well-formed and says what the JSON says, the filters and the 90-day window, the spec's
// error list for every bad argument and unknown resource, and no resident's personal data anywhere.
import { generateDemoEvents } from '@banshishi/demo';
import { listPublicProblems, type PublicProblem } from '@banshishi/read-models';
import { personalSubstrings } from '@banshishi/testkit';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMoment } from '../http/deps.js';
import { type BoardFixture, fixtureNow, startBoardFixture } from '../test-support/board-fixture.js';
import { readWholeLog } from '../test-support/crafted-residents.js';

let fixture: BoardFixture;
/** Every public problem, read from the read models directly (not through the Open311 query). */
let problems: PublicProblem[];

beforeAll(async () => {
  fixture = await startBoardFixture();
  problems = await listPublicProblems(fixture.embedded.readModels, {
    asOf: localMoment(fixtureNow),
    limit: 100_000,
  });
});
afterAll(async () => {
  await fixture?.close();
});

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly text: string;
}

const get = async (path: string, init: RequestInit = {}): Promise<Answer> => {
  const res = await fetch(`${fixture.url}/open311/v2/${path}`, init);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};

type Json = Record<string, unknown>;

const getJson = async (path: string): Promise<Json[]> => {
  const a = await get(path);
  expect(a.status, a.text).toBe(200);
  expect(a.type).toBe('application/json; charset=utf-8');
  return JSON.parse(a.text) as Json[];
};

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => ['service', 'request', 'error', 'attribute'].includes(name),
});

const declaration = '<?xml version="1.0" encoding="UTF-8"?>';

/** The parsed document of an XML answer, after checking it is well-formed, declared and typed as the spec says. */
const parseXml = (a: Answer): Json => {
  expect(a.type).toBe('text/xml; charset=utf-8');
  expect(a.text.startsWith(declaration), a.text.slice(0, 80)).toBe(true);
  expect(XMLValidator.validate(a.text)).toBe(true);
  return parser.parse(a.text) as Json;
};

const getXml = async (path: string): Promise<Json> => {
  const a = await get(path);
  expect(a.status, a.text).toBe(200);
  return parseXml(a);
};

/** The records under `<root><item>…</item></root>`, none when the list is empty. */
const xmlList = (doc: Json, root: string, item: string): Json[] => {
  const list = doc[root];
  if (list === '') return [];
  return ((list as Json)[item] as Json[] | undefined) ?? [];
};

/** A JSON record as XML carries it: text for every value, an empty element for null. */
const asXmlText = (record: Json): Json =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v === null ? '' : String(v)]));

const serviceFields = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'];
const requestFields = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];

/** W3C datetime with seconds and the local offset, as every datetime of the board is written. */
const w3cLocal = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

const ms = (iso: string) => Date.parse(iso);
const dayMs = 86_400_000;
const now = fixtureNow.getTime();

const raisedWithin = (from: number, through: number) =>
  problems.filter((p) => ms(p.solicited_at) >= from && ms(p.solicited_at) <= through);

const idsOf = (records: readonly Json[]) => records.map((r) => r.service_request_id as string);
const sorted = (ids: readonly string[]) => [...ids].sort();

const codeOfCategory = async (category: string): Promise<string> => {
  const services = await getJson('services.json');
  const service = services.find((s) => s.service_name === category);
  expect(service, category).toBeDefined();
  return service!.service_code as string;
};

/** A 400 or 404 in both formats: the spec's error list, naming the parameter when there is one. */
const expectErrors = async (path: string, status: 400 | 404, mentions?: string) => {
  const json = await get(path.replace('{format}', 'json'));
  expect(json.status, `${path}: ${json.text}`).toBe(status);
  expect(json.type).toBe('application/json; charset=utf-8');
  const list = JSON.parse(json.text) as Json[];
  expect(list.length).toBeGreaterThan(0);
  for (const e of list) {
    expect(Object.keys(e).sort()).toEqual(['code', 'description']);
    expect(e.code).toBe(status);
    expect(typeof e.description).toBe('string');
  }
  if (mentions !== undefined) expect(list[0]!.description).toContain(mentions);

  const xml = await get(path.replace('{format}', 'xml'));
  expect(xml.status, `${path}: ${xml.text}`).toBe(status);
  const errors = xmlList(parseXml(xml), 'errors', 'error');
  expect(errors).toEqual(list.map(asXmlText));
};

describe('GET services', () => {
  it('lists every problem category in use once, with every field of the spec typed as it says', async () => {
    const services = await getJson('services.json');
    // A problem without a category is listed under the board's word for it (未分类), as the mapping names it.
    const categories = new Set(problems.map((p) => p.category ?? '未分类'));
    expect(services.map((s) => s.service_name).sort()).toEqual([...categories].sort());
    const codes = services.map((s) => s.service_code as string);
    expect(new Set(codes).size).toBe(codes.length);
    for (const s of services) {
      expect(Object.keys(s)).toEqual(serviceFields);
      for (const field of ['service_code', 'service_name', 'description', 'keywords', 'group'])
        expect(typeof s[field], field).toBe('string');
      expect(s.metadata).toBe(false);
      expect(s.type).toBe('realtime');
      // A code survives XML and clients that read numbers: no leading zero, no markup, no spaces.
      expect(s.service_code).toMatch(/^[A-Za-z1-9][A-Za-z0-9_-]*$/);
      expect((s.keywords as string).split(',')).toContain(s.service_name);
    }
  });

  it('lets a client in a browser on another site read answers and errors alike', async () => {
    for (const path of ['services.json', 'requests.xml', 'requests.json?status=bogus']) {
      const res = await fetch(`${fixture.url}/open311/v2/${path}`, { headers: { Origin: 'https://example.org' } });
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
    }
  });

  it('gives every category the same code on every call', async () => {
    const first = await getJson('services.json');
    const second = await getJson('services.json');
    expect(second.map((s) => [s.service_name, s.service_code])).toEqual(
      first.map((s) => [s.service_name, s.service_code]),
    );
  });

  it('says the same in XML, field by field, with the declaration and text/xml', async () => {
    const json = await getJson('services.json');
    const xml = xmlList(await getXml('services.xml'), 'services', 'service');
    expect(xml.map((s) => Object.keys(s))).toEqual(json.map(() => serviceFields));
    expect(xml).toEqual(json.map(asXmlText));
  });

  it('defines each service with no attributes (metadata is false), in both formats', async () => {
    for (const s of await getJson('services.json')) {
      const code = s.service_code as string;
      const definition = await get(`services/${code}.json`);
      expect(definition.status).toBe(200);
      expect(JSON.parse(definition.text)).toEqual({ service_code: code, attributes: [] });
      const xml = await getXml(`services/${code}.xml`);
      expect(xml.service_definition).toEqual({ service_code: code, attributes: '' });
    }
  });

  it('answers an unknown service code with 404 and the error list', async () => {
    await expectErrors('services/c000000000000.{format}', 404);
    await expectErrors('services/%E9%81%93%E8%B7%AF.{format}', 404);
  });
});

describe('GET requests', () => {
  it('gives the last 90 days by default, newest first, each with every field of the spec typed as it says', async () => {
    const requests = await getJson('requests.json');
    const expected = raisedWithin(now - 90 * dayMs, now);
    expect(expected.length).toBeGreaterThan(0);
    expect(sorted(idsOf(requests))).toEqual(sorted(expected.map((p) => p.problem_id)));
    const raised = requests.map((r) => ms(r.requested_datetime as string));
    expect(raised).toEqual([...raised].sort((a, b) => b - a));
    for (const r of requests) {
      expect(Object.keys(r)).toEqual(requestFields);
      for (const f of ['service_request_id', 'status_notes', 'service_name', 'service_code', 'description'])
        expect(typeof r[f], f).toBe('string');
      expect(['open', 'closed']).toContain(r.status);
      expect(r.requested_datetime).toMatch(w3cLocal);
      expect(r.updated_datetime).toMatch(w3cLocal);
      if (r.expected_datetime !== null) expect(r.expected_datetime).toMatch(w3cLocal);
      expect(typeof r.agency_responsible).toBe('string');
      expect(typeof r.address).toBe('string');
      // Locations are personal: the board publishes none, and no other field it does not hold.
      for (const f of ['lat', 'long', 'address_id', 'zipcode', 'media_url', 'service_notice'])
        expect(r[f], f).toBeNull();
    }
  });

  it('maps each problem: title, unit, status, closing or last time, promised day, category code', async () => {
    const requests = await getJson('requests.json?start_date=2021-03-01&end_date=2021-05-29');
    requests.push(...(await getJson('requests.json?start_date=2021-05-30&end_date=2021-08-27')));
    requests.push(...(await getJson('requests.json?start_date=2021-08-28&end_date=2021-11-25')));
    requests.push(...(await getJson('requests.json?start_date=2021-11-26&end_date=2022-01-10')));
    expect(sorted(idsOf(requests))).toEqual(sorted(problems.map((p) => p.problem_id)));
    const services = await getJson('services.json');
    const codeOf = new Map(services.map((s) => [s.service_name, s.service_code]));
    const statuses = new Set<string>();
    for (const r of requests) {
      const p = problems.find((x) => x.problem_id === r.service_request_id)!;
      statuses.add(p.status);
      expect(r.description).toBe(p.title);
      expect(r.service_name).toBe(p.category ?? '未分类');
      expect(r.service_code).toBe(codeOf.get(p.category ?? '未分类'));
      expect(r.agency_responsible).toBe(p.unit_name);
      expect(r.address).toBe(p.unit_name);
      expect(r.requested_datetime).toBe(localMoment(new Date(p.solicited_at)));
      const closed = p.status === 'closed' || p.status === 'rejected';
      expect(r.status).toBe(closed ? 'closed' : 'open');
      const updated = p.status === 'closed' ? p.closed_at : p.status === 'rejected' ? p.rejected_at : p.last_event_at;
      expect(r.updated_datetime).toBe(localMoment(new Date(updated!)));
      expect(r.expected_datetime).toBe(p.promised_by === null ? null : `${p.promised_by}T23:59:59+08:00`);
      if (p.status === 'rejected') expect(r.status_notes).toContain(p.rejection_reason);
      if (p.status === 'closed' && p.solution_summary !== null) expect(r.status_notes).toContain(p.solution_summary);
      if (p.overdue) expect(r.status_notes).toContain('超期');
    }
    // The demo has problems in every state, so each branch of the mapping was read above.
    expect([...statuses].sort()).toEqual(['assigned', 'claimed', 'closed', 'rejected', 'solicited', 'solved']);
  });

  it('explains a rejected problem in its status notes, in the reader’s language', async () => {
    const rejected = problems.find((p) => p.status === 'rejected')!;
    const zh = await getJson(`requests/${rejected.problem_id}.json`);
    expect(zh[0]!.status).toBe('closed');
    expect(zh[0]!.status_notes).toMatch(/^未予受理/);
    const en = await fetch(`${fixture.url}/open311/v2/requests/${rejected.problem_id}.json`, {
      headers: { 'Accept-Language': 'en' },
    });
    const [record] = (await en.json()) as Json[];
    expect(record!.status_notes).toMatch(/^Not accepted/);
    expect(record!.status_notes).toContain(rejected.rejection_reason);
  });

  it('says the same in XML, field by field, for lists and single requests', async () => {
    for (const base of ['requests.{f}', 'requests.{f}?start_date=2021-03-01&end_date=2021-05-29']) {
      const json = await getJson(base.replace('{f}', 'json'));
      const xml = xmlList(await getXml(base.replace('{f}', 'xml')), 'service_requests', 'request');
      expect(json.length).toBeGreaterThan(0);
      expect(xml.map((r) => Object.keys(r))).toEqual(json.map(() => requestFields));
      expect(xml).toEqual(json.map(asXmlText));
    }
    const id = problems[0]!.problem_id;
    const one = await getJson(`requests/${id}.json`);
    expect(idsOf(one)).toEqual([id]);
    expect(xmlList(await getXml(`requests/${id}.xml`), 'service_requests', 'request')).toEqual(one.map(asXmlText));
  });

  it('answers an empty list as an empty array and an empty <service_requests/>', async () => {
    const path = 'requests.{f}?start_date=2020-01-01&end_date=2020-02-01';
    expect(await getJson(path.replace('{f}', 'json'))).toEqual([]);
    expect(xmlList(await getXml(path.replace('{f}', 'xml')), 'service_requests', 'request')).toEqual([]);
  });
});

describe('GET requests filters', () => {
  it('keeps requests raised between start_date and end_date, the end day included', async () => {
    const requests = await getJson('requests.json?start_date=2021-11-01&end_date=2021-11-30');
    const expected = raisedWithin(ms('2021-11-01T00:00:00+08:00'), ms('2021-12-01T00:00:00+08:00') - 1);
    expect(expected.length).toBeGreaterThan(0);
    expect(sorted(idsOf(requests))).toEqual(sorted(expected.map((p) => p.problem_id)));
  });

  it('reads datetimes with an offset, with Z, and with a + that arrived unencoded as a space', async () => {
    const p = problems[Math.floor(problems.length / 2)]!;
    const at = new Date(p.solicited_at);
    const local = localMoment(at);
    const exactly = [
      `start_date=${encodeURIComponent(local)}&end_date=${encodeURIComponent(local)}`,
      `start_date=${at.toISOString()}&end_date=${at.toISOString()}`,
      `start_date=${local}&end_date=${local}`,
    ];
    for (const query of exactly) expect(idsOf(await getJson(`requests.json?${query}`))).toContain(p.problem_id);
    const after = localMoment(new Date(at.getTime() + 1000));
    expect(idsOf(await getJson(`requests.json?start_date=${encodeURIComponent(after)}`))).not.toContain(p.problem_id);
  });

  it('takes 90 days after start_date alone and 90 days before end_date alone', async () => {
    const start = ms('2021-05-01T00:00:00+08:00');
    const fromStart = await getJson('requests.json?start_date=2021-05-01T00:00:00%2B08:00');
    expect(sorted(idsOf(fromStart))).toEqual(sorted(raisedWithin(start, start + 90 * dayMs).map((p) => p.problem_id)));
    const end = ms('2021-09-01T00:00:00+08:00');
    const toEnd = await getJson('requests.json?end_date=2021-09-01T00:00:00%2B08:00');
    expect(sorted(idsOf(toEnd))).toEqual(sorted(raisedWithin(end - 90 * dayMs, end).map((p) => p.problem_id)));
    expect(fromStart.length + toEnd.length).toBeGreaterThan(0);
  });

  it('refuses a range wider than 90 days and accepts one of exactly 90', async () => {
    await expectErrors('requests.{format}?start_date=2021-03-01&end_date=2021-05-30', 400, 'end_date');
    await getJson('requests.json?start_date=2021-03-01&end_date=2021-05-29');
    await getJson('requests.json?start_date=2021-03-01T00:00:00%2B08:00&end_date=2021-05-30T00:00:00%2B08:00');
    await expectErrors(
      'requests.{format}?start_date=2021-03-01T00:00:00%2B08:00&end_date=2021-05-30T00:00:01%2B08:00',
      400,
      'end_date',
    );
    await expectErrors('requests.{format}?start_date=2021-05-01&end_date=2021-04-30', 400, 'end_date');
  });

  it('filters by status, one or a comma list', async () => {
    const recent = raisedWithin(now - 90 * dayMs, now);
    const open = await getJson('requests.json?status=open');
    const closed = await getJson('requests.json?status=closed');
    const both = await getJson('requests.json?status=open,closed');
    expect(open.every((r) => r.status === 'open')).toBe(true);
    expect(closed.every((r) => r.status === 'closed')).toBe(true);
    const isClosed = (p: PublicProblem) => p.status === 'closed' || p.status === 'rejected';
    expect(sorted(idsOf(open))).toEqual(sorted(recent.filter((p) => !isClosed(p)).map((p) => p.problem_id)));
    expect(sorted(idsOf(closed))).toEqual(sorted(recent.filter(isClosed).map((p) => p.problem_id)));
    expect(open.length).toBeGreaterThan(0);
    expect(closed.length).toBeGreaterThan(0);
    expect(sorted(idsOf(both))).toEqual(sorted([...idsOf(open), ...idsOf(closed)]));
  });

  it('filters by service_code', async () => {
    const recent = raisedWithin(now - 90 * dayMs, now);
    const category = recent[0]?.category ?? '';
    expect(category).not.toBe('');
    const code = await codeOfCategory(category);
    const requests = await getJson(`requests.json?service_code=${code}`);
    expect(requests.every((r) => r.service_code === code)).toBe(true);
    expect(sorted(idsOf(requests))).toEqual(
      sorted(recent.filter((p) => p.category === category).map((p) => p.problem_id)),
    );
  });

  it('filters by a comma list of service codes, as the spec allows ("comma delimited")', async () => {
    const recent = raisedWithin(now - 90 * dayMs, now);
    const categories = [...new Set(recent.map((p) => p.category).filter((c): c is string => c !== null))].slice(0, 2);
    expect(categories).toHaveLength(2);
    const codes = await Promise.all(categories.map((c) => codeOfCategory(c)));
    const requests = await getJson(`requests.json?service_code=${codes.join(',')}`);
    expect(sorted(idsOf(requests))).toEqual(
      sorted(recent.filter((p) => p.category !== null && categories.includes(p.category)).map((p) => p.problem_id)),
    );
    const unknown = await get(`requests.json?service_code=${codes[0]},c000000000000`);
    expect(unknown.status).toBe(400);
  });

  it('lets service_request_id, one or a comma list, override every other argument', async () => {
    const [a, b] = [problems[problems.length - 1]!, problems[problems.length - 2]!];
    // Raised in March 2021, outside the default window and any window given below.
    const ignored = 'start_date=2021-12-01&end_date=2021-12-31&status=bogus&service_code=nope&page=0';
    expect(idsOf(await getJson(`requests.json?service_request_id=${a.problem_id}&${ignored}`))).toEqual([a.problem_id]);
    expect(idsOf(await getJson(`requests.json?service_request_id=${b.problem_id},${a.problem_id}`))).toEqual([
      b.problem_id,
      a.problem_id,
    ]);
    const xml = xmlList(
      await getXml(`requests.xml?service_request_id=${a.problem_id},${b.problem_id}`),
      'service_requests',
      'request',
    );
    expect(xml.map((r) => r.service_request_id)).toEqual([a.problem_id, b.problem_id]);
    // An id that names nothing is left out; the ones that do are answered.
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(idsOf(await getJson(`requests.json?service_request_id=${unknown},${a.problem_id}`))).toEqual([a.problem_id]);
  });

  it('pages with page and page_size, in a stable order', async () => {
    const range = 'start_date=2021-03-01&end_date=2021-05-29';
    const all = idsOf(await getJson(`requests.json?${range}`));
    expect(all.length).toBeGreaterThan(4);
    const first = idsOf(await getJson(`requests.json?${range}&page_size=2`));
    const second = idsOf(await getJson(`requests.json?${range}&page_size=2&page=2`));
    expect([...first, ...second]).toEqual(all.slice(0, 4));
    const last = Math.ceil(all.length / 2);
    expect(idsOf(await getJson(`requests.json?${range}&page_size=2&page=${last + 1}`))).toEqual([]);
  });

  it('treats an empty argument as an absent one', async () => {
    const plain = idsOf(await getJson('requests.json'));
    const blanks = 'start_date=&end_date=&status=&service_code=&service_request_id=&page=&page_size=';
    expect(idsOf(await getJson(`requests.json?${blanks}`))).toEqual(plain);
    expect(idsOf(await getJson('requests.json?status=%20'))).toEqual(plain);
  });
});

describe('Open311 errors', () => {
  it('answers every bad argument with 400 and the error list naming it, in both formats', async () => {
    const bad: [string, string][] = [
      ['start_date=yesterday', 'start_date'],
      ['start_date=2021-02-30', 'start_date'],
      ['start_date=2021-11-01T08:00:00', 'start_date'],
      ['start_date=2021-11-01T25:00:00%2B08:00', 'start_date'],
      ['end_date=2021-13-01', 'end_date'],
      ['status=pending', 'status'],
      ['status=open,bogus', 'status'],
      ['status=open&status=closed', 'status'],
      ['service_code=c000000000000', 'service_code'],
      ['page=0', 'page'],
      ['page=two', 'page'],
      ['page_size=1001', 'page_size'],
      ['page_size=-1', 'page_size'],
      ['service_request_id=not%20an%20id', 'service_request_id'],
      ['service_request_id=a&service_request_id=b', 'service_request_id'],
    ];
    for (const [query, name] of bad) await expectErrors(`requests.{format}?${query}`, 400, name);
  });

  it('answers an unknown request id or resource with 404 and the error list', async () => {
    await expectErrors('requests/00000000-0000-4000-8000-000000000000.{format}', 404);
    await expectErrors('requests/not%20an%20id.{format}', 404);
    await expectErrors('tokens/1.{format}', 404);
    await expectErrors('services/a/b.{format}', 404);
    await expectErrors('nothing.{format}', 404);
  });

  it('answers a path in no format and a method it does not offer in the spec’s error list, never a 500', async () => {
    const unknown = await get('requests.html');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toEqual([{ code: 404, description: expect.any(String) }]);
    const post = await get('requests.xml', { method: 'POST', body: 'service_code=x' });
    expect(post.status).toBe(400);
    expect(xmlList(parseXml(post), 'errors', 'error')).toEqual([{ code: '400', description: expect.any(String) }]);
    const malformed = await get('requests/%E0%A4%A.json');
    expect(malformed.status).toBe(404);
  });
});

describe('Open311 and personal data', () => {
  it('shows no resident’s name, phone, address or own words in any answer', async () => {
    const personal = new Set<string>();
    // The log holds them sealed: read revealed, with the board's own sealer.
    for (const e of await readWholeLog(fixture.embedded.store, fixture.embedded.personalData)) {
      if (e.type !== 'ProblemSolicited') continue;
      const d = e.data as { description?: string; raiser?: Record<string, string | undefined> };
      for (const value of [
        d.description,
        d.raiser?.name,
        d.raiser?.phone,
        d.raiser?.address,
        d.raiser?.contactName,
        d.raiser?.contactPhone,
      ])
        if (value !== undefined && value.trim().length >= 2) personal.add(value);
    }
    // The demo raises problems with residents' details, so the check below has something to find.
    expect(personal.size).toBeGreaterThan(20);
    // And every name, phone, id number and address the demo gave anyone (wishers too), as its manifest
    // lists them: the fixture's seed and scale make the same campaign.
    const source = generateDemoEvents({ seed: 2021, scale: 1200 });
    for (const _ of source);
    const manifest = source.manifest();
    const raiserNames = [...personal].filter((v) => manifest.personal.names.includes(v));
    expect(raiserNames.length).toBeGreaterThan(10);
    for (const value of personalSubstrings(manifest)) personal.add(value);
    const windows = [
      'start_date=2021-03-01&end_date=2021-05-29',
      'start_date=2021-05-30&end_date=2021-08-27',
      'start_date=2021-08-28&end_date=2021-11-25',
      'start_date=2021-11-26&end_date=2022-01-10',
    ];
    const answers: string[] = [];
    for (const f of ['json', 'xml']) {
      answers.push((await get(`services.${f}`)).text);
      for (const w of windows) answers.push((await get(`requests.${f}?${w}`)).text);
    }
    const everything = answers.join('\n');
    expect(everything).toContain(problems[0]!.title);
    const leaked = [...personal].filter((value) => everything.includes(value));
    expect(leaked).toEqual([]);
  });
});
