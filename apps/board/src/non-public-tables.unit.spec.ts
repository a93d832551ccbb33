// The board shows only what is public: no page, export or feed reads a read-model table that is not public
// (`nonPublicTables`: who raised which item, for the API's 我的诉求), nor the query made for it.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nonPublicTables } from '@banshishi/read-models';
import { describe, expect, it } from 'vitest';

const here = import.meta.dirname;

const sources = async (): Promise<string[]> => {
  const entries = await readdir(here, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.spec\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
};

describe('the board and the non-public read models', () => {
  it('no board source names a non-public table or the query that reads it', async () => {
    const files = await sources();
    expect(files.length).toBeGreaterThan(20);
    expect(nonPublicTables).toContain('item_raisers');
    const found: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      for (const name of [...nonPublicTables, 'itemsRaisedBy']) if (text.includes(name)) found.push(`${file}: ${name}`);
    }
    expect(found).toEqual([]);
  });
});
