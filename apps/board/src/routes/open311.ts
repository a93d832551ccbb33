// Open311 GeoReport v2, read side, under /open311/v2/: the problem categories in use as services and the
// public problems as service requests, in XML (the spec's required format) and JSON, built from one list
// of fields per record so the two formats always agree. Errors answer as the spec says (a list of code and
// description, 404 for an unknown resource, 400 otherwise) in the format asked for. A request carries
// no location and no words of the resident: its description is the public title, its address the name of
// the unit that handles it.
import {
  type Open311RequestRow,
  open311Requests,
  open311ServiceCode,
  open311Services,
  type Open311Service as ServiceRow,
} from '@banshishi/read-models';
import type { NextFunction, Request, Response } from 'express';
import { Router } from 'express';
import { create } from 'xmlbuilder2';
import { type BoardDeps, figuresAsOf, localMoment, localOffset } from '../http/deps.js';
import { type DirectorySnapshot, directoryCache } from '../http/directory-cache.js';
import { BadParameter, boardErrorOf, isBoardError, NotFound, NotReady, retryAfterSeconds } from '../http/errors.js';
import { type Decoder, identifier, listOf, param, wholeNumber } from '../http/params.js';
import { cachedBriefly, languageOf } from '../http/render.js';
import { catalogues, type Messages } from '../i18n/index.js';

type Format = 'xml' | 'json';

/** A field's value: text, a flag, or null for a field the spec has and the board leaves empty. */
type Scalar = string | boolean | null;
type Fields = Readonly<Record<string, Scalar>>;

interface Target {
  readonly resource: 'services' | 'requests';
  /** The service code or request id of `services/{code}` and `requests/{id}`. */
  readonly id?: string;
  readonly format: Format;
}

const dayMs = 86_400_000;
/** The spec's window: a query spans at most 90 days, and the last 90 when no dates are given. */
const windowMs = 90 * dayMs;
/** The spec's default limit, also the largest page. */
const maxPageSize = 1000;
const maxIds = 1000;

/** The format an Open311 path asks for, from its extension; JSON when it names none we serve. */
const formatOfPath = (path: string): Format => (/\.xml$/i.test(path) ? 'xml' : 'json');

/** `/v2/services.xml`, `/v2/requests/{id}.json` and the like; undefined for any other path. */
const targetOf = (path: string): Target | undefined => {
  const segments = path.split('/').slice(1);
  if (segments[0] !== 'v2' || segments.length < 2 || segments.length > 3) return undefined;
  const leaf = /^(.+)\.(xml|json)$/.exec(segments[segments.length - 1] ?? '');
  if (leaf === null) return undefined;
  const format = leaf[2] as Format;
  let name: string;
  try {
    name = decodeURIComponent(leaf[1]!);
  } catch {
    return undefined;
  }
  const resource = segments.length === 2 ? name : segments[1];
  if (resource !== 'services' && resource !== 'requests') return undefined;
  if (segments.length === 2) return { resource, format };
  return /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(name) ? { resource, id: name, format } : undefined;
};

const bad = (name: string, reason: string): never => {
  throw new BadParameter(name, reason);
};

/** A W3C datetime `2021-11-01T08:30:00+08:00` (seconds and fractions optional, offset required), or a
 * local calendar day `2021-11-01`. A `+` sent unencoded arrives as a space, so a space before the offset
 * is read as `+`. */
const w3cDateTime: Decoder<{ readonly at: number; readonly dateOnly: boolean }> = (raw, name) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+\- ](\d{2}):(\d{2})))?$/.exec(
    raw,
  );
  const refuse = () =>
    bad(name, `expected a W3C datetime with its offset (2021-11-01T08:00:00${localOffset}) or a date (2021-11-01)`);
  if (m === null) return refuse();
  const [, y, mo, d, hh = '00', mm = '00', ss = '00', frac = '', zone, zh = '00', zm = '00'] = m;
  const dateOnly = m[4] === undefined;
  const dayExists =
    Number(y) >= 1900 &&
    Number(y) <= 2999 &&
    new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).toISOString().slice(0, 10) === `${y}-${mo}-${d}`;
  if (!dayExists || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59 || Number(zh) > 14 || Number(zm) > 59)
    return refuse();
  const offset = dateOnly ? localOffset : zone === 'Z' ? 'Z' : `${zone!.startsWith('-') ? '-' : '+'}${zh}:${zm}`;
  const at = Date.parse(`${y}-${mo}-${d}T${hh}:${mm}:${ss}${frac.slice(0, 4)}${offset}`);
  return Number.isNaN(at) ? refuse() : { at, dateOnly };
};

/** `service_request_id`: one id or a comma list, longer than other parameters may be. */
const requestIdsOf = (req: Request): string[] | undefined => {
  const value = (req.query as Record<string, unknown>).service_request_id;
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return bad('service_request_id', 'given more than once');
  if (value.length > maxIds * 130) return bad('service_request_id', `more than ${maxIds} ids`);
  if (value.trim() === '') return undefined;
  const ids: string[] = [];
  for (const part of value.split(',')) {
    const id = identifier(part.trim(), 'service_request_id');
    if (!ids.includes(id)) ids.push(id);
  }
  return ids.length > maxIds ? bad('service_request_id', `more than ${maxIds} ids`) : ids;
};

const openStatuses = ['solicited', 'assigned', 'claimed', 'solved'] as const;
const closedStatuses = ['closed', 'rejected'] as const;

/** What `GET requests` asks for, decoded; `service_request_id` overrides every other argument. */
type RequestsQuery =
  | { readonly kind: 'ids'; readonly ids: readonly string[] }
  | {
      readonly kind: 'window';
      readonly raisedFrom: string;
      readonly raisedBefore: string;
      readonly statuses?: readonly (typeof openStatuses | typeof closedStatuses)[number][];
      readonly categories?: readonly (string | null)[];
      readonly limit: number;
      readonly offset: number;
    };

const requestsQueryOf = (req: Request, services: readonly ServiceRow[], now: Date): RequestsQuery => {
  const ids = requestIdsOf(req);
  if (ids !== undefined) return { kind: 'ids', ids };
  const start = param(req, 'start_date', w3cDateTime);
  const end = param(req, 'end_date', w3cDateTime);
  // A date alone as end_date includes its whole day; every bound below is the last instant included.
  const startAt = start?.at;
  const endAt = end === undefined ? undefined : end.dateOnly ? end.at + dayMs - 1 : end.at;
  if (startAt !== undefined && endAt !== undefined) {
    if (endAt < startAt) bad('end_date', 'is before start_date');
    if (endAt - startAt > windowMs) bad('end_date', 'more than 90 days after start_date');
  }
  const from = startAt ?? (endAt ?? now.getTime()) - windowMs;
  const through = endAt ?? (startAt === undefined ? now.getTime() : startAt + windowMs);
  const status = param(req, 'status', listOf(['open', 'closed'] as const));
  // "can be declared multiple times, comma delimited" (GeoReport v2): one code or a comma list.
  const codes = param(req, 'service_code', (raw, name) =>
    raw.split(',').map((part) => {
      const code = part.trim();
      const service = services.find((s) => s.service_code === code);
      return service === undefined ? bad(name, `unknown service code ${JSON.stringify(code)}`) : service;
    }),
  );
  const page = param(req, 'page', wholeNumber(1, 100_000)) ?? 1;
  const pageSize = param(req, 'page_size', wholeNumber(1, maxPageSize)) ?? maxPageSize;
  return {
    kind: 'window',
    raisedFrom: new Date(from).toISOString(),
    raisedBefore: new Date(through + 1).toISOString(),
    ...(status === undefined
      ? {}
      : {
          statuses: [
            ...(status.includes('open') ? openStatuses : []),
            ...(status.includes('closed') ? closedStatuses : []),
          ],
        }),
    ...(codes === undefined ? {} : { categories: [...new Set(codes.map((c) => c.category))] }),
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
};

/** A read-model moment (ISO-8601) in the spec's W3C format, in local time with its offset. */
const w3c = (iso: string): string => localMoment(new Date(iso));

const serviceFields = (m: Messages, s: ServiceRow): Fields => {
  const name = s.category ?? m.open311.uncategorized;
  return {
    service_code: s.service_code,
    service_name: name,
    description: m.open311.serviceDescription(name),
    metadata: false,
    type: 'realtime',
    keywords: m.open311.keywords(name),
    group: m.open311.group,
  };
};

/** The unit a problem sits in, named from the district down: the only place a request is placed at. */
/** The address of a request is the responsible unit's public name: never where the raiser lives. */
const unitAddress = (dir: DirectorySnapshot, unitId: string): string | null => dir.unitById.get(unitId)?.name ?? null;

const statusNotes = (m: Messages, r: Open311RequestRow): string => {
  const o = m.open311;
  const l = m.labels;
  const unit = r.unit_name ?? r.unit_id;
  const note = (() => {
    switch (r.status) {
      case 'solicited':
        return o.note.solicited;
      case 'assigned':
        return o.note.assigned(unit);
      case 'claimed':
        return o.note.claimed(r.plan);
      case 'solved':
        return o.note.solved(r.solution_summary);
      case 'closed':
        return o.note.closed(
          o.closeBasis[r.close_basis ?? ''] ?? r.close_basis ?? l.none,
          l.verdict[r.closing_verdict ?? ''] ?? r.closing_verdict ?? l.none,
          r.solution_summary,
        );
      case 'rejected': {
        const ground = o.rejectionGround[r.rejection_ground ?? ''] ?? r.rejection_ground ?? l.none;
        const reason = r.rejection_reason ?? l.none;
        return o.note.rejected(r.duplicate_of === null ? ground : o.note.duplicateOf(ground, r.duplicate_of), reason);
      }
    }
  })();
  return r.overdue ? `${note}${o.note.overdue}` : note;
};

const requestFields = (m: Messages, dir: DirectorySnapshot, r: Open311RequestRow): Fields => {
  const closed = r.status === 'closed' || r.status === 'rejected';
  const updated = r.status === 'closed' ? r.closed_at : r.status === 'rejected' ? r.rejected_at : null;
  return {
    service_request_id: r.problem_id,
    status: closed ? 'closed' : 'open',
    status_notes: statusNotes(m, r),
    service_name: r.category ?? m.open311.uncategorized,
    service_code: open311ServiceCode(r.category),
    description: r.title,
    agency_responsible: r.unit_name,
    service_notice: null,
    requested_datetime: w3c(r.solicited_at),
    updated_datetime: w3c(updated ?? r.last_event_at),
    // 承诺时限 is a day; the promise holds to its end.
    expected_datetime: r.promised_by === null ? null : `${r.promised_by}T23:59:59${localOffset}`,
    address: unitAddress(dir, r.unit_id),
    address_id: null,
    zipcode: null,
    // Where a problem is would point at the people who raised it: the board publishes no location.
    lat: null,
    long: null,
    media_url: null,
  };
};

const xmlDocument = (root: string, item: string, records: readonly Fields[]): string => {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const list = doc.ele(root);
  for (const record of records) {
    const element = list.ele(item);
    for (const [name, value] of Object.entries(record)) {
      const field = element.ele(name);
      if (value !== null) field.txt(String(value));
    }
  }
  return doc.end({ prettyPrint: false });
};

const sendXml = (res: Response, status: number, xml: string) => {
  res.status(status).set('Content-Type', 'text/xml; charset=utf-8').send(xml);
};

/** A list of records in the asked format: `<root><item>…</item></root>` or a JSON array. */
const sendList = (res: Response, format: Format, root: string, item: string, records: readonly Fields[]) => {
  cachedBriefly(res);
  if (format === 'xml') sendXml(res, 200, xmlDocument(root, item, records));
  else res.status(200).json(records);
};

/** The spec's error list, in the format the path asks for (also used by the board's rate limit). */
export const sendOpen311Errors = (res: Response, path: string, status: number, description: string) =>
  sendErrors(res, formatOfPath(path), status, description);

const sendErrors = (res: Response, format: Format, status: number, description: string) => {
  res.set('Cache-Control', 'no-store');
  if (format === 'xml') sendXml(res, status, xmlDocument('errors', 'error', [{ code: String(status), description }]));
  else res.status(status).json([{ code: status, description }]);
};

export const open311Routes = (deps: BoardDeps): Router => {
  const router = Router();
  const directory = directoryCache(deps);
  const rm = deps.readModels;
  const config = deps.evaluation === undefined ? {} : { config: deps.evaluation };

  router.use('/open311', async (req: Request, res: Response) => {
    // Open data without credentials: a client in a browser on another site may read it.
    res.set('Access-Control-Allow-Origin', '*');
    const target = targetOf(req.path);
    // Named without its extension, so the JSON and XML answers say the same.
    if (target === undefined) throw new NotFound(req.originalUrl.split('?')[0]!.replace(/\.(xml|json)$/i, ''));
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new BadParameter('method', 'only GET is offered: the board publishes service requests, it takes none');
    const m = catalogues[languageOf(req)];
    const services = await open311Services(rm);
    const { format } = target;

    if (target.resource === 'services') {
      if (target.id === undefined) {
        sendList(
          res,
          format,
          'services',
          'service',
          services.map((s) => serviceFields(m, s)),
        );
        return;
      }
      const service = services.find((s) => s.service_code === target.id);
      if (service === undefined) throw new NotFound(`service ${target.id}`);
      // metadata is false for every service, so a definition has no attributes.
      cachedBriefly(res);
      if (format === 'xml') {
        const doc = create({ version: '1.0', encoding: 'UTF-8' });
        doc.ele('service_definition').ele('service_code').txt(service.service_code).up().ele('attributes');
        sendXml(res, 200, doc.end({ prettyPrint: false }));
      } else res.status(200).json({ service_code: service.service_code, attributes: [] });
      return;
    }

    const asOf = figuresAsOf(deps);
    const dir = await directory();
    if (target.id !== undefined) {
      const rows = await open311Requests(rm, { problemIds: [target.id], limit: 1, asOf, ...config });
      if (rows.length === 0) throw new NotFound(`service request ${target.id}`);
      sendList(
        res,
        format,
        'service_requests',
        'request',
        rows.map((r) => requestFields(m, dir, r)),
      );
      return;
    }
    const query = requestsQueryOf(req, services, deps.clock());
    let rows: Open311RequestRow[];
    if (query.kind === 'ids') {
      const found = await open311Requests(rm, { problemIds: query.ids, limit: query.ids.length, asOf, ...config });
      const byId = new Map(found.map((r) => [r.problem_id, r]));
      rows = query.ids.map((id) => byId.get(id)).filter((r): r is Open311RequestRow => r !== undefined);
    } else {
      const { kind: _kind, ...filter } = query;
      rows = await open311Requests(rm, { ...filter, asOf, ...config });
    }
    sendList(
      res,
      format,
      'service_requests',
      'request',
      rows.map((r) => requestFields(m, dir, r)),
    );
  });

  // Errors under /open311/ are answered here, in the format the path asked for, never as problem details.
  router.use('/open311', (thrown: unknown, req: Request, res: Response, next: NextFunction) => {
    const error = boardErrorOf(thrown);
    if (error instanceof NotReady) res.set('Retry-After', String(retryAfterSeconds));
    if (res.headersSent) {
      next(error);
      return;
    }
    const format = formatOfPath(req.path);
    if (isBoardError(error)) {
      sendErrors(res, format, error.status, error.message);
      return;
    }
    const status = (error as { status?: number }).status ?? (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendErrors(res, format, status === 404 ? 404 : 400, status === 404 ? 'not found' : 'malformed request');
      return;
    }
    req.log.error({ err: error }, 'open311 request failed');
    sendErrors(res, format, 500, 'internal error');
  });

  return router;
};
