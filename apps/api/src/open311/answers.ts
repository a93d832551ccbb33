// The answers of Open311 GeoReport v2 intake, in the format the path asks for: the created requests
// (`<service_requests><request>…`) and the spec's error list (`<errors><error>…`), in XML as the spec
// shows them or as JSON arrays. The service notice names the unit that handles the request: unit names
// are public, as on the board.
import { create } from 'xmlbuilder2';
import type { Open311Error } from './intake.js';

export type Open311Format = 'xml' | 'json';

export interface Open311Answer {
  readonly service_request_id: string;
  readonly service_notice: string;
  readonly account_id?: string | null;
}

export interface Open311Body {
  readonly contentType: string;
  readonly body: string;
}

const contentTypes: Readonly<Record<Open311Format, string>> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** What a created request's answer tells the client, in Chinese and English. */
export const serviceNoticeOf = (unitName: string): string =>
  `已受理，由${unitName}办理 / Received; handled by ${unitName}`;

/** Characters XML 1.0 cannot carry at all, dropped so that no text can break the document. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the controls XML cannot carry are what it finds
const notInXml = /[^\u0009\u000a\u000d\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** One record of a list: its fields in order, null for a field the spec has and the answer leaves empty. */
type Fields = Readonly<Record<string, string | null>>;

const xmlList = (root: string, item: string, records: readonly Fields[]): string => {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const list = doc.ele(root);
  for (const record of records) {
    const element = list.ele(item);
    for (const [name, value] of Object.entries(record)) {
      const field = element.ele(name);
      if (value !== null) field.txt(value.replace(notInXml, ''));
    }
  }
  return doc.end({ prettyPrint: false });
};

/** The answer to a successful POST: one entry per request created, `account_id` empty when not given. */
export const open311Answer = (format: Open311Format, answers: readonly Open311Answer[]): Open311Body => {
  const records = answers.map((a) => ({
    service_request_id: a.service_request_id,
    service_notice: a.service_notice,
    account_id: a.account_id ?? null,
  }));
  return {
    contentType: contentTypes[format],
    body: format === 'xml' ? xmlList('service_requests', 'request', records) : JSON.stringify(records),
  };
};

/** The spec's error list; the code is the HTTP status, a number in JSON as the board answers it. */
export const open311ErrorBody = (format: Open311Format, errors: readonly Open311Error[]): Open311Body => ({
  contentType: contentTypes[format],
  body:
    format === 'xml'
      ? xmlList(
          'errors',
          'error',
          errors.map((e) => ({ code: String(e.code), description: e.description })),
        )
      : JSON.stringify(errors.map((e) => ({ code: e.code, description: e.description }))),
});
