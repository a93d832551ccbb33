import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPglite } from './pglite.js';
import { clusterTemplatePath, installedPgliteVersion, readClusterTemplate } from './pglite-template.js';

const folders: string[] = [];
const freshFolder = async () => {
  const folder = await mkdtemp(join(tmpdir(), 'banshishi-template-'));
  folders.push(folder);
  return folder;
};
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

describe('the PGlite cluster template', () => {
  it('is there for the installed PGlite version (after an upgrade: npx -y pnpm@10.34.8 pglite-template)', async () => {
    const version = await installedPgliteVersion();
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    const template = await stat(clusterTemplatePath(version)).catch(() => null);
    expect(template?.isFile(), `no template at ${clusterTemplatePath(version)}`).toBe(true);
    expect((await readClusterTemplate())?.length).toBe(template?.size);
  });

  it('gives a new folder a working cluster that keeps what is written across a reopen', async () => {
    const dataDir = join(await freshFolder(), 'nested', 'data');
    const first = await openPglite(dataDir);
    await first.exec('CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)');
    const { rows } = await first.query<{ server_version: string }>('SHOW server_version');
    expect(rows[0]?.server_version).toMatch(/^\d+/);
    await first.close();
    expect(await readdir(dataDir)).toContain('PG_VERSION');

    const again = await openPglite(dataDir);
    expect((await again.query<{ n: number }>('SELECT n FROM kept')).rows).toEqual([{ n: 7 }]);
    await again.close();
  });

  it('is what a new database starts from: two new folders hold the same cluster, as initdb never makes', async () => {
    const identifier = async (dataDir?: string) => {
      const db = await openPglite(dataDir);
      const { rows } = await db.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()');
      await db.close();
      return rows[0]?.id;
    };
    const first = await identifier(join(await freshFolder(), 'data'));
    expect(first).toMatch(/^\d+$/);
    expect(await identifier(join(await freshFolder(), 'data'))).toBe(first);
    expect(await identifier()).toBe(first);
  });

  it('is never loaded over a folder that holds a database: its data stays', async () => {
    const dataDir = join(await freshFolder(), 'data');
    const first = await openPglite(dataDir);
    await first.exec('CREATE TABLE kept (n int); INSERT INTO kept VALUES (1), (2)');
    await first.close();
    const again = await openPglite(dataDir);
    expect((await again.query<{ c: number }>('SELECT count(*)::int AS c FROM kept')).rows).toEqual([{ c: 2 }]);
    await again.close();
  });

  it('is loaded into a folder without a cluster that holds other files, and leaves them be', async () => {
    const template = await openPglite(join(await freshFolder(), 'data'));
    const expected = await template.query<{ id: string }>(
      'SELECT system_identifier::text AS id FROM pg_control_system()',
    );
    await template.close();
    const dataDir = await freshFolder();
    await writeFile(join(dataDir, 'api-token-secret'), 'kept');
    const db = await openPglite(dataDir);
    const { rows } = await db.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()');
    await db.close();
    expect(rows).toEqual(expected.rows);
    expect(await readFile(join(dataDir, 'api-token-secret'), 'utf8')).toBe('kept');
  });

  it('serves in memory too, each database its own', async () => {
    const a = await openPglite();
    const b = await openPglite('memory://');
    await a.exec('CREATE TABLE only_in_a (n int)');
    const inB = await b.query<{ c: number }>(
      "SELECT count(*)::int AS c FROM information_schema.tables WHERE table_name = 'only_in_a'",
    );
    expect(inB.rows).toEqual([{ c: 0 }]);
    await a.close();
    await b.close();
  });
});
