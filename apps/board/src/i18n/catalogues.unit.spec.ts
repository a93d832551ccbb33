// One message catalogue per language, the same keys in each, and no UI text written in a template: the
// board's words come from i18n/, so a page cannot be half translated.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rateAnchors } from '../pages/rankings.js';
import { en } from './en.js';
import { zh } from './zh.js';

const shapeOf = (value: unknown): unknown =>
  typeof value === 'function'
    ? `function/${value.length}`
    : Array.isArray(value)
      ? value.map(shapeOf)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => [k, shapeOf(v)]),
          )
        : typeof value;

const strings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : typeof value === 'object' && value !== null
      ? Object.values(value).flatMap(strings)
      : [];

describe('the message catalogues', () => {
  it('hold the same keys, the same parameters and the same definition anchors in both languages', () => {
    expect(shapeOf(en)).toEqual(shapeOf(zh));
    expect(en.definitions.terms.map((t) => t.id)).toEqual(zh.definitions.terms.map((t) => t.id));
  });

  it('leave no text empty', () => {
    for (const s of [...strings(zh), ...strings(en)]) expect(s.trim()).not.toBe('');
  });

  it('define every figure the pages link to', () => {
    const ids = zh.definitions.terms.map((t) => t.id);
    for (const anchor of [...Object.values(rateAnchors), 'counting', 'progress', 'quota', 'ranking', 'overdue']) {
      expect(ids).toContain(anchor);
    }
  });
});

const root = fileURLToPath(new URL('..', import.meta.url));
const templates = ['pages', 'views'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.tsx'))
    .map((f) => join(root, dir, f)),
);

describe('the templates', () => {
  it('are found', () => {
    expect(templates.length).toBeGreaterThanOrEqual(8);
  });

  it.each(templates)('%s writes no UI text of its own', (file) => {
    const source = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    // Text between a tag's end and the next tag or expression, holding a letter of any script
    // (not an arrow's `=>` nor a comparison's `<=`).
    const literal = [...source.matchAll(/(?<![=-])>([^<>{}()=;]*\p{L}[^<>{}()=;]*)<(?!=)/gu)].map((m) => m[1]!.trim());
    expect(literal).toEqual([]);
    // Chinese in string literals belongs to the catalogue too.
    expect(source.match(/['"`][^'"`\n]*\p{Script=Han}[^'"`\n]*['"`]/gu) ?? []).toEqual([]);
  });
});
