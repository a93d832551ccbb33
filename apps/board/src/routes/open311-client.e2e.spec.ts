// An integrator reads every Open311 endpoint of the board in both formats with a GeoReport v2 client
// written from the spec alone (test-support/georeport-client.ts; no published JavaScript client installs
// from the registry): the catalogue of services, each definition, the requests of each service and
// status, each request by id, a batch by ids, paging to the end, and the errors of failed calls. The
// XML client and the JSON client must read the same things.
import { countPublicProblems } from '@banshishi/read-models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMoment } from '../http/deps.js';
import { type BoardFixture, fixtureNow, startBoardFixture } from '../test-support/board-fixture.js';
import {
  type GeoReportClient,
  GeoReportError,
  type GeoReportFormat,
  type GeoReportRequest,
  georeportClient,
} from '../test-support/georeport-client.js';

let fixture: BoardFixture;
const clients = {} as Record<GeoReportFormat, GeoReportClient>;

beforeAll(async () => {
  fixture = await startBoardFixture();
  clients.xml = georeportClient(`${fixture.url}/open311/v2`, 'xml');
  clients.json = georeportClient(`${fixture.url}/open311/v2`, 'json');
});
afterAll(async () => {
  await fixture?.close();
});

const formats = ['xml', 'json'] as const;

/** The same read through the XML client and the JSON client. */
const both = async <T>(read: (client: GeoReportClient) => Promise<T>): Promise<[T, T]> =>
  Promise.all([read(clients.xml), read(clients.json)]);
const dayMs = 86_400_000;

/** Every request of the campaign, read as an integrator would: 90-day windows back from now, paged. */
const harvest = async (client: GeoReportClient, pageSize: number): Promise<GeoReportRequest[]> => {
  const out: GeoReportRequest[] = [];
  for (let end = fixtureNow.getTime(); end > Date.parse('2021-01-01T00:00:00+08:00'); end -= 90 * dayMs) {
    const window = {
      start_date: new Date(end - 90 * dayMs + 1).toISOString(),
      end_date: new Date(end).toISOString(),
    };
    for (let page = 1; ; page++) {
      const batch = await client.requests({ ...window, page: String(page), page_size: String(pageSize) });
      out.push(...batch);
      if (batch.length < pageSize) break;
    }
  }
  return out;
};

describe('an Open311 client reading the board', () => {
  it('reads the same services, definitions and requests in XML and in JSON', async () => {
    const [xmlServices, jsonServices] = await both((c) => c.services());
    expect(xmlServices.length).toBeGreaterThan(0);
    expect(xmlServices).toEqual(jsonServices);
    for (const service of jsonServices) {
      for (const f of formats) {
        const definition = await clients[f].serviceDefinition(service.service_code);
        expect(definition).toEqual({ service_code: service.service_code, attributes: [] });
      }
    }
    const [xmlRecent, jsonRecent] = await both((c) => c.requests());
    expect(jsonRecent.length).toBeGreaterThan(0);
    expect(xmlRecent).toEqual(jsonRecent);
  });

  it('harvests the whole campaign by windows and pages, and every request again by its id', async () => {
    const [xmlAll, jsonAll] = await both((c) => harvest(c, 7));
    expect(xmlAll).toEqual(jsonAll);
    const ids = jsonAll.map((r) => r.service_request_id);
    expect(new Set(ids).size).toBe(ids.length);
    // What the integrator cannot see but the test can: the harvest missed no public problem.
    expect(ids.length).toBe(await countPublicProblems(fixture.embedded.readModels, { asOf: localMoment(fixtureNow) }));
    const raised = jsonAll.map((r) => r.requested_datetime.getTime());
    expect(Math.min(...raised)).toBeGreaterThanOrEqual(Date.parse('2021-03-01T00:00:00+08:00'));
    for (const f of formats)
      for (const r of jsonAll.slice(0, 12)) expect(await clients[f].request(r.service_request_id)).toEqual(r);
    // A batch by ids reads the same records as one by one, in the order asked.
    const some = jsonAll.filter((_, i) => i % 5 === 0);
    for (const f of formats)
      expect(
        await clients[f].requests({ service_request_id: some.map((r) => r.service_request_id).join(',') }),
      ).toEqual(some);
  });

  it('reads each service’s requests and each status, which partition the requests', async () => {
    const services = await clients.json.services();
    const all = await clients.json.requests();
    const byService: GeoReportRequest[] = [];
    for (const s of services) {
      const [xml, json] = await both((c) => c.requests({ service_code: s.service_code }));
      expect(xml).toEqual(json);
      expect(json.every((r) => r.service_code === s.service_code && r.service_name === s.service_name)).toBe(true);
      byService.push(...json);
    }
    const idsOf = (list: readonly GeoReportRequest[]) => list.map((r) => r.service_request_id).sort();
    expect(idsOf(byService)).toEqual(idsOf(all));
    const open = await clients.xml.requests({ status: 'open' });
    const closed = await clients.xml.requests({ status: 'closed' });
    expect(open.every((r) => r.status === 'open')).toBe(true);
    expect(closed.every((r) => r.status === 'closed')).toBe(true);
    expect(idsOf([...open, ...closed])).toEqual(idsOf(all));
  });

  it('finds what an integrator needs in each request, and no location', async () => {
    for (const r of await harvest(clients.xml, 1000)) {
      expect(r.service_code).not.toBeNull();
      expect(r.description).not.toBeNull();
      expect(r.agency_responsible).not.toBeNull();
      expect(r.updated_datetime!.getTime()).toBeGreaterThanOrEqual(r.requested_datetime.getTime());
      expect(r.updated_datetime!.getTime()).toBeLessThanOrEqual(fixtureNow.getTime());
      if (r.status === 'closed') expect(r.status_notes).not.toBeNull();
      expect([r.lat, r.long]).toEqual([null, null]);
    }
  });

  it('gets the spec’s error list from a failed call, in either format', async () => {
    for (const f of formats) {
      const unknown = await clients[f].request('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(GeoReportError);
      expect((unknown as GeoReportError).status).toBe(404);
      expect((unknown as GeoReportError).errors[0]!.code).toBe(404);
      const badDate = await clients[f].requests({ start_date: 'last week' }).catch((e: unknown) => e);
      expect(badDate).toBeInstanceOf(GeoReportError);
      expect((badDate as GeoReportError).errors).toEqual([
        { code: 400, description: expect.stringContaining('start_date') },
      ]);
      const unknownService = await clients[f].serviceDefinition('c000000000000').catch((e: unknown) => e);
      expect((unknownService as GeoReportError).status).toBe(404);
    }
  });
});
