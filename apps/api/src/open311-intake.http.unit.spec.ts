// Open311 GeoReport v2 intake over HTTP, as a hotline system posts it: form-encoded with its api_key, the
// answer the spec's list with service_request_id and service_notice, the refusals its {code, description}
// list (403 for the key, 400 for the rest), in JSON and XML. The resident's contact details are stored
// sealed and never shown again; the new request is readable at once through the API.
import { open311ServiceCode } from '@banshishi/read-models';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, startApiFixture } from './test-support/api-fixture.js';

const apiKey = 'hotline-12345-key-for-the-specs-only';
let api: ApiFixture;
let serviceCode: string;

beforeAll(async () => {
  api = await startApiFixture({
    overrides: {
      open311: {
        clients: [{ name: '12345 热线', apiKey, personId: 'office1' }],
        areas: [
          { unitId: 'd1', bbox: [119.85, 36.15, 120.15, 36.45] },
          { unitId: 'd1-s1', bbox: [119.95, 36.2, 120.05, 36.3] },
          { unitId: 'd1-s1-c1', bbox: [119.96, 36.21, 119.99, 36.24] },
        ],
      },
    },
  });
  // A category is offered as a service once a problem of it is on record.
  const raised = await api.request('res1', 'POST', '/problems', {
    body: {
      problemId: 'o311-seed',
      unitId: 'd1-s1-c1',
      source: 'resident',
      grade: 'small',
      title: '路灯不亮',
      category: '路灯照明',
      raiser: { kind: 'resident', personId: 'res1' },
    },
  });
  expect(raised.status).toBe(201);
  await api.projected();
  serviceCode = open311ServiceCode('路灯照明');
});
afterAll(() => api?.close());

const post = (
  format: 'json' | 'xml',
  fields: Record<string, string>,
  contentType = 'application/x-www-form-urlencoded',
) =>
  fetch(`${api.url}/open311/v2/requests.${format}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new URLSearchParams(fields).toString(),
  });

const resident = {
  first_name: '秀英',
  last_name: '李',
  phone: '13905321234',
  email: 'lixiuying@example.cn',
  description: '我家楼下的路灯坏了，我叫李秀英，电话13905321234',
};

describe('Open311 POST requests', () => {
  it('takes a located request: the answer names the new request, placed in the deepest area holding the point', async () => {
    const answer = await post('json', {
      api_key: apiKey,
      service_code: serviceCode,
      lat: '36.225',
      long: '119.975',
      ...resident,
    });
    expect(answer.status).toBe(200);
    const [created] = (await answer.json()) as { service_request_id: string; service_notice: string }[];
    expect(created!.service_notice).toContain('扬州路社区');
    const read = await api.request('office1', 'GET', `/problems/${created!.service_request_id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'solicited', state: { unitId: 'd1-s1-c1', source: 'resident' } });
    // Sealed in the log, and on no answer: neither the name, the phone nor the resident's own words.
    for (const value of ['李秀英', '13905321234', 'lixiuying@example.cn', '我家楼下'])
      expect(read.text).not.toContain(value);
    const [stored] = await api.store.readStream(`problem-${created!.service_request_id}`);
    expect(JSON.stringify(stored!.data)).not.toContain('13905321234');
    expect(stored!.data).toMatchObject({ title: '路灯照明', raiser: { kind: 'resident' } });
  });

  it('answers in XML as the spec shows, and the request is readable through the API at once', async () => {
    const answer = await post('xml', {
      api_key: apiKey,
      service_code: serviceCode,
      address_id: 'd1-s1-c2',
      ...resident,
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('xml');
    const parsed = new XMLParser().parse(await answer.text()) as {
      service_requests: { request: { service_request_id: string } };
    };
    const id = parsed.service_requests.request.service_request_id;
    expect((await api.request('office1', 'GET', `/problems/${id}`)).body).toMatchObject({
      state: { unitId: 'd1-s1-c2' },
    });
  });

  it('refuses a missing or wrong api_key with 403, before anything else is checked', async () => {
    const keyless: Record<string, string>[] = [
      { service_code: serviceCode },
      { api_key: 'not-the-key-at-all-but-long-enough', service_code: 'nope' },
    ];
    for (const fields of keyless) {
      const answer = await post('json', fields);
      expect(answer.status).toBe(403);
      const [error] = (await answer.json()) as { code: number; description: string }[];
      expect(error!.code).toBe(403);
    }
  });

  it('refuses anything else wrong with 400, naming the field, and stores nothing', async () => {
    const before = (await api.store.readAll({ limit: 100_000 })).events.length;
    const cases: [Record<string, string>, RegExp][] = [
      [{ api_key: apiKey }, /service_code/],
      [{ api_key: apiKey, service_code: 'c000000000000' }, /service_code/],
      [{ api_key: apiKey, service_code: serviceCode }, /location|lat|address/],
      [{ api_key: apiKey, service_code: serviceCode, lat: 'north', long: '120' }, /lat/],
      [{ api_key: apiKey, service_code: serviceCode, lat: '10', long: '10' }, /outside/],
      [{ api_key: apiKey, service_code: serviceCode, address_id: 'd1', email: 'not an address' }, /email/],
    ];
    for (const [fields, names] of cases) {
      const answer = await post('json', fields);
      expect(answer.status, JSON.stringify(fields)).toBe(400);
      const errors = (await answer.json()) as { code: number; description: string }[];
      expect(errors.map((e) => e.description).join(' '), JSON.stringify(fields)).toMatch(names);
    }
    const xml = await post('xml', { api_key: apiKey, address_id: 'd1' });
    expect(xml.status).toBe(400);
    expect(new XMLParser().parse(await xml.text())).toHaveProperty('errors.error.code', 400);
    expect(
      (await post('json', { api_key: apiKey, service_code: serviceCode, address_id: 'd1' }, 'application/json')).status,
    ).toBe(400);
    expect((await api.store.readAll({ limit: 100_000 })).events.length).toBe(before);
  });
});
