// One way to send a table the board shows as a download: CSV for spreadsheets (headers in the reader's
// language, a BOM so Excel reads the Chinese as UTF-8, formula-looking cells defused) or JSON with stable
// English keys. The columns are declared once, so the CSV and the JSON of a table hold the same values.
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import type { Messages } from '../i18n/index.js';
import { cachedBriefly } from './render.js';

export type Cell = string | number | boolean | null;

export interface Column<Row> {
  /** The JSON key: English, stable across releases. */
  readonly key: string;
  /** The CSV header, in the reader's language. */
  readonly header: (m: Messages) => string;
  readonly value: (row: Row) => Cell;
}

export type TableFormat = 'csv' | 'json';

export interface Table<Row> {
  /** The file name's stem, ASCII (`disclosure-problems`); the date is appended. */
  readonly name: string;
  readonly columns: readonly Column<Row>[];
  readonly rows: readonly Row[];
  /** The moment the figures are taken at, local with its offset (`2026-12-01T09:00:00+08:00`). */
  readonly asOf: string;
  readonly m: Messages;
  /** Set when more rows matched than an export sends: the reader must learn the file is not complete. */
  /** `total` when it is known; otherwise only that more rows matched. */
  readonly capped?: { readonly limit: number; readonly total?: number };
}

/**
 * A cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+1+cmd|…`, `@SUM(…)`) gets a leading
 * apostrophe. Text fields are public but typed by officials, so a crafted plan or title must not
 * execute on the reader's machine (OWASP "CSV injection"). Numbers are written as numbers and left alone.
 */
export const csvCell = (value: Cell): string => {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
};

/** The CSV text, BOM first, CRLF between records (RFC 4180). */
export const csvOf = <Row>(columns: readonly Column<Row>[], rows: readonly Row[], m: Messages): string =>
  `\uFEFF${stringify(
    [columns.map((c) => csvCell(c.header(m))), ...rows.map((row) => columns.map((c) => csvCell(c.value(row))))],
    { record_delimiter: 'windows' },
  )}`;

export const jsonOf = <Row>(table: Table<Row>) => ({
  asOf: table.asOf,
  count: table.rows.length,
  ...(table.capped === undefined ? {} : { capped: table.capped }),
  rows: table.rows.map((row) => Object.fromEntries(table.columns.map((c) => [c.key, c.value(row)]))),
});

/** An RFC 6266 attachment header; the name is forced to ASCII so both forms agree and no header breaks. */
export const attachmentOf = (fileName: string): string => {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(ascii)}`;
};

export const sendTable = <Row>(res: Response, format: TableFormat, table: Table<Row>): void => {
  cachedBriefly(res);
  const { capped } = table;
  if (capped !== undefined)
    res.set(
      'X-Export-Capped',
      capped.total === undefined ? `${capped.limit} rows; more matched` : `${capped.limit} of ${capped.total} rows`,
    );
  const fileName = `${table.name}-${table.asOf.slice(0, 10)}.${format}`;
  if (format === 'csv') {
    res
      .set('Content-Disposition', attachmentOf(fileName))
      .type('text/csv; charset=utf-8')
      .send(csvOf(table.columns, table.rows, table.m));
  } else {
    // Inline: a JSON export is read by programs as often as downloaded; the name still helps a browser.
    res
      .set('Content-Disposition', attachmentOf(fileName).replace(/^attachment/, 'inline'))
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(jsonOf(table)));
  }
};
