// Reading the board's CSV back in the specs with csv-parse (RFC 4180: quoted fields, doubled quotes,
// embedded line breaks), reporting a leading BOM rather than keeping it in the first header.
import { parse } from 'csv-parse/sync';

export const parseCsv = (text: string): { bom: boolean; records: string[][] } => {
  const bom = text.startsWith('\uFEFF');
  const records = parse(bom ? text.slice(1) : text, { relax_column_count: false }) as string[][];
  return { bom, records };
};
