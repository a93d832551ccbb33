// The documentation page: every operation of the document on it, Chinese unless English is asked for, and
// nothing the API's CSP would refuse (no script, no inline style).
import { existsSync } from 'node:fs';
import type { OperationObject, PathItemObject } from 'openapi3-ts/oas31';
import { describe, expect, it } from 'vitest';
import { commandRoutes } from '../routes/command-routes.js';
import { docsCssPath, docsCssUrl, renderApiDocs } from './docs-page.js';
import { openApiDocument } from './document.js';

const doc = openApiDocument({ version: '0.1.0' });
const zh = renderApiDocs(doc, 'zh');
const en = renderApiDocs(doc, 'en');

const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
  (['get', 'post'] as const).flatMap((method) => {
    const op = (item as PathItemObject)[method] as OperationObject | undefined;
    return op === undefined ? [] : [{ path, op }];
  }),
);

describe('the API documentation page', () => {
  it('is a whole HTML page that lists every operation with its path, in both languages', () => {
    for (const page of [zh, en]) {
      expect(page.startsWith('<!doctype html>')).toBe(true);
      for (const { path, op } of operations) {
        expect(page, op.operationId).toContain(`id="${op.operationId}"`);
        expect(page, op.operationId).toContain(`<code>${path}</code>`);
      }
    }
    expect(operations.length).toBeGreaterThan(commandRoutes.length);
  });

  it('is in Chinese by default, with a link to the English page', () => {
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain(commandRoutes[0]!.summary.zh);
    expect(zh).toContain('href="?lang=en"');
  });

  it('is in English when asked, with a link back to the Chinese page', () => {
    expect(en).toContain('<html lang="en">');
    expect(en).toContain(commandRoutes[0]!.summary.en.replace(/'/g, '&#39;'));
    expect(en).toContain('href="?lang=zh"');
    expect(en).not.toContain('<html lang="zh-CN">');
  });

  it('has no script and no inline style, and links its stylesheet and the machine-readable document', () => {
    for (const page of [zh, en]) {
      expect(page).not.toContain('<script');
      expect(page).not.toContain('style=');
      expect(page).toContain(`<link rel="stylesheet" href="${docsCssUrl}"/>`);
      expect(page).toContain('href="/openapi.json"');
    }
    expect(existsSync(docsCssPath)).toBe(true);
  });

  it('marks personal fields in the body tables and shows each example', () => {
    const solicit = zh.slice(zh.indexOf('id="solicitProblem"'), zh.indexOf('id="assignProblem"'));
    expect(solicit).toContain('<code>raiser.name</code>');
    expect(solicit).toContain('是（加密存储）');
    expect(solicit).toContain('小区路灯损坏，夜间出行不便');
  });

  it('gives every table column headers', () => {
    const tables = zh.match(/<table>[\s\S]*?<\/table>/g) ?? [];
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) expect(table).toContain('<th scope="col">');
  });
});
