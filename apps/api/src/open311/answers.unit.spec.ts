// The answers of Open311 intake read back as a GeoReport v2 client reads them: the XML parses to the
// requests and errors that were given, in the spec's element names, and the JSON is the same as arrays.
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { open311Answer, open311ErrorBody, serviceNoticeOf } from './answers.js';

const parser = new XMLParser({
  ignoreDeclaration: false,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === 'request' || name === 'error',
});

interface ParsedRequests {
  readonly service_requests: {
    readonly request: readonly { service_request_id: string; service_notice: string; account_id: string }[];
  };
}

describe('open311Answer', () => {
  it('answers in XML as the spec shows: service_requests of request with id, notice and an empty account_id', () => {
    const answer = open311Answer('xml', [
      { service_request_id: 'o311-1', service_notice: serviceNoticeOf('青年社区') },
      { service_request_id: 'o311-2', service_notice: serviceNoticeOf('阜安街道'), account_id: 'acct-7' },
    ]);
    expect(answer.contentType).toBe('text/xml; charset=utf-8');
    expect(answer.body.startsWith('<?xml version="1.0" encoding="UTF-8"?><service_requests><request>')).toBe(true);
    const parsed = parser.parse(answer.body) as ParsedRequests;
    expect(parsed.service_requests.request).toEqual([
      {
        service_request_id: 'o311-1',
        service_notice: '已受理，由青年社区办理 / Received; handled by 青年社区',
        account_id: '',
      },
      {
        service_request_id: 'o311-2',
        service_notice: '已受理，由阜安街道办理 / Received; handled by 阜安街道',
        account_id: 'acct-7',
      },
    ]);
  });

  it('answers in JSON as an array, account_id null when not given', () => {
    const answer = open311Answer('json', [{ service_request_id: 'o311-1', service_notice: serviceNoticeOf('胶州市') }]);
    expect(answer.contentType).toBe('application/json; charset=utf-8');
    expect(JSON.parse(answer.body)).toEqual([
      { service_request_id: 'o311-1', service_notice: serviceNoticeOf('胶州市'), account_id: null },
    ]);
  });

  it('property: any ids and notices parse back from the XML as they were, markup and all', () => {
    // Text XML can carry: no controls but tab and line feed (a parser reads a carriage return as a line feed).
    const carried = (ch: string) => {
      const c = ch.codePointAt(0)!;
      return c === 0x9 || c === 0xa || (c >= 0x20 && c !== 0xfffe && c !== 0xffff);
    };
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => [...s].every(carried));
    fc.assert(
      fc.property(
        fc.array(fc.record({ service_request_id: text, service_notice: text }), { minLength: 1, maxLength: 5 }),
        (answers) => {
          const parsed = parser.parse(open311Answer('xml', answers).body) as ParsedRequests;
          expect(parsed.service_requests.request.map((r) => [r.service_request_id, r.service_notice])).toEqual(
            answers.map((a) => [a.service_request_id, a.service_notice]),
          );
        },
      ),
    );
  });
});

describe('open311ErrorBody', () => {
  const errors = [
    { code: 400, description: 'lat: expected decimal degrees between -90 and 90 (WGS84)' },
    { code: 400, description: 'email: not an email address & <no> "domain"' },
  ];

  it('answers in XML as errors of error with code and description', () => {
    const body = open311ErrorBody('xml', errors);
    expect(body.contentType).toBe('text/xml; charset=utf-8');
    const parsed = parser.parse(body.body) as { errors: { error: { code: string; description: string }[] } };
    expect(parsed.errors.error).toEqual(errors.map((e) => ({ code: String(e.code), description: e.description })));
  });

  it('answers in JSON as an array with numeric codes, as the board does', () => {
    const body = open311ErrorBody('json', [{ code: 403, description: 'api_key: not a key issued for this service' }]);
    expect(body.contentType).toBe('application/json; charset=utf-8');
    expect(JSON.parse(body.body)).toEqual([{ code: 403, description: 'api_key: not a key issued for this service' }]);
  });

  it('drops characters XML cannot carry instead of failing, so the document still parses', () => {
    const body = open311ErrorBody('xml', [{ code: 400, description: 'bad\u0000 \u0007field\uffff' }]);
    const parsed = parser.parse(body.body) as { errors: { error: { description: string }[] } };
    expect(parsed.errors.error[0]!.description).toBe('bad field');
  });
});
