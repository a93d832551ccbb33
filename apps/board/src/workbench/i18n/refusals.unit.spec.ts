// The workbench says every refusal in both languages: every rule core and the API can answer with has its
// sentence, each language reads as itself, and every field a command form has has a label.
import { apiRules, commandRoutes, readRoutes } from '@banshishi/api';
import {
  campaignRules,
  commandRules,
  directoryRules,
  ForgetSubjectData,
  forgettingRules,
  isPersonal,
  pairingRules,
  privacyRules,
  problemRules,
  schemaHintOf,
  serviceRules,
  storeRules,
  subjectKeyStoreRules,
  visitRules,
  wishRules,
} from '@banshishi/core';
import type * as t from 'io-ts';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Lang } from '../../i18n/index.js';
import {
  fieldLabel,
  isKnownRule,
  type Rule,
  refusalCatalogue,
  refusalText,
  unknownRefusal,
  unmappedRules,
  workbenchRules,
} from './refusals.js';

const ruleMaps: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  problemRules,
  wishRules,
  visitRules,
  directoryRules,
  campaignRules,
  pairingRules,
  serviceRules,
  commandRules,
  storeRules,
  forgettingRules,
  privacyRules,
  subjectKeyStoreRules,
  apiRules,
  workbenchRules,
  unmappedRules,
};
const everyRule = [...new Set(Object.values(ruleMaps).flatMap((m) => Object.values(m)))];
const langs: readonly Lang[] = ['zh', 'en'];
const textsOf = (lang: Lang): [string, string][] => Object.entries<string>(refusalCatalogue[lang]);

const han = /\p{Script=Han}/u;
// Han, CJK punctuation and full-width forms: none of them belongs on the English page.
const cjk = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d]/u;
/** ASCII words a Chinese sentence may hold: the names of file formats. */
const asciiWordsAllowedInZh = new Set(['PDF']);

/** Rules that say the same thing on purpose: to the reader it is one situation, whichever layer saw it. */
const sameOnPurpose: readonly (readonly string[])[] = [
  [apiRules.unauthenticated, workbenchRules.signedOut],
  [apiRules.keysUnavailable, apiRules.unavailable, workbenchRules.apiUnavailable],
  [storeRules.wrongExpectedRevision, storeRules.staleExpectedRevision, workbenchRules.conflict],
];

describe('the refusal catalogue', () => {
  it.each(Object.entries(ruleMaps))('has words in both languages for every rule of %s', (_name, rules) => {
    for (const rule of Object.values(rules)) {
      expect(isKnownRule(rule), rule).toBe(true);
      for (const lang of langs) expect(refusalCatalogue[lang][rule as never], `${lang} ${rule}`).toMatch(/\S/);
    }
  });

  it('is typed by the rule names themselves, so a rule without words does not compile', () => {
    expectTypeOf<typeof problemRules.claimPlanRequired>().toExtend<Rule>();
    expectTypeOf<typeof apiRules.bodyTooLarge>().toExtend<Rule>();
    expectTypeOf<string>().not.toExtend<Rule>();
    expectTypeOf<'problem.claim.no_such_rule'>().not.toExtend<Rule>();
  });

  it('holds no rule that none of the maps names', () => {
    for (const lang of langs) expect(Object.keys(refusalCatalogue[lang]).sort()).toEqual([...everyRule].sort());
  });

  it('writes Chinese as Chinese: Han characters, a full stop, and no English left over', () => {
    for (const [rule, text] of textsOf('zh')) {
      expect(text, rule).toMatch(han);
      expect(text, rule).toMatch(/。$/);
      const words = text.match(/[A-Za-z]+/g) ?? [];
      expect(
        words.filter((w) => !asciiWordsAllowedInZh.has(w)),
        rule,
      ).toEqual([]);
    }
  });

  it('writes English as English: no Chinese characters or punctuation, a sentence with its stop', () => {
    for (const [rule, text] of textsOf('en')) {
      expect(text, rule).not.toMatch(cjk);
      expect(text, rule).toMatch(/^[A-Z].*\.$/);
    }
  });

  it.each(langs)('gives no two rules the same %s text unless they are listed as one situation', (lang) => {
    const byText = new Map<string, string[]>();
    for (const [rule, text] of textsOf(lang)) byText.set(text, [...(byText.get(text) ?? []), rule]);
    const shared = [...byText.values()].filter((rules) => rules.length > 1).map((rules) => [...rules].sort());
    expect(shared.sort()).toEqual(sameOnPurpose.map((rules) => [...rules].sort()).sort());
  });
});

describe('refusalText', () => {
  const fallback = 'problem P-1 is closed (销号) and accepts no commands';

  it('answers a known rule from the catalogue, whatever the fallback says', () => {
    expect(refusalText('zh', problemRules.claimPlanRequired, 'a claim needs a plan')).toBe(
      '请填写解题方案，写明打算怎么解决。',
    );
    expect(refusalText('en', problemRules.claimPlanRequired, 'a claim needs a plan')).toBe(
      'Enter a plan: say how you will solve it.',
    );
  });

  it('never shows the English fallback on the Chinese page', () => {
    expect(refusalText('zh', 'problem.newer_rule', 'something went wrong')).toBe(unknownRefusal.zh);
    expect(refusalText('zh', 'problem.newer_rule', '')).toBe(unknownRefusal.zh);
  });

  it('shows the fallback on the English page when it holds text, else the generic sentence', () => {
    expect(refusalText('en', 'problem.newer_rule', `  ${fallback} `)).toBe(fallback);
    expect(refusalText('en', 'problem.newer_rule', '   ')).toBe(unknownRefusal.en);
  });

  it("takes an object's own keys only: a rule named like a built-in property is unknown", () => {
    for (const rule of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      expect(isKnownRule(rule)).toBe(false);
      expect(refusalText('zh', rule, 'x')).toBe(unknownRefusal.zh);
    }
  });

  it('says the generic sentence in the language itself', () => {
    expect(unknownRefusal.zh).toMatch(han);
    expect(unknownRefusal.en).not.toMatch(cjk);
  });
});

// ── the fields of every command's body, walked from the codecs as the API's JSON Schema does ────────────

type Walkable = t.Mixed & {
  readonly _tag?: string;
  readonly props?: Readonly<Record<string, t.Mixed>>;
  readonly types?: readonly t.Mixed[];
  readonly type?: t.Mixed;
};

/** The declared properties of an object codec (through exact, readonly, refinements, intersections, unions). */
const propsOf = (codec: t.Mixed): Map<string, t.Mixed[]> => {
  const found = new Map<string, t.Mixed[]>();
  const add = (from: Map<string, t.Mixed[]>) => {
    for (const [k, v] of from) found.set(k, [...(found.get(k) ?? []), ...v]);
  };
  if (isPersonal(codec)) return propsOf(codec.base);
  if (schemaHintOf(codec) !== undefined) return found;
  const c = codec as Walkable;
  switch (c._tag) {
    case 'ExactType':
    case 'ReadonlyType':
    case 'RefinementType':
      return propsOf(c.type!);
    case 'IntersectionType':
    case 'UnionType':
      for (const member of c.types ?? []) add(propsOf(member));
      return found;
    case 'InterfaceType':
    case 'PartialType':
    case 'StrictType':
      for (const [k, v] of Object.entries(c.props ?? {})) found.set(k, [v]);
      return found;
    default:
      return found;
  }
};

/** The item codec of an array codec, looking through wrappers; undefined for anything else. */
const itemsOf = (codec: t.Mixed): t.Mixed | undefined => {
  if (isPersonal(codec)) return itemsOf(codec.base);
  const hinted = schemaHintOf(codec)?.items;
  if (hinted !== undefined) return hinted;
  const c = codec as Walkable;
  if (c._tag === 'ArrayType' || c._tag === 'ReadonlyArrayType') return c.type;
  if (c._tag === 'ExactType' || c._tag === 'ReadonlyType' || c._tag === 'RefinementType') return itemsOf(c.type!);
  return undefined;
};

interface Form {
  readonly command: string | undefined;
  readonly codec: t.Mixed;
}

const forms: readonly Form[] = [
  ...commandRoutes.map((r) => ({ command: r.operationId, codec: r.codec })),
  { command: 'forgetSubject', codec: ForgetSubjectData },
  ...readRoutes.flatMap((r) => (r.body === undefined ? [] : [{ command: r.operationId, codec: r.body }])),
];

const topFields = (form: Form) => [...propsOf(form.codec).keys()];

describe('fieldLabel', () => {
  it('finds the forms to label, and every one has fields', () => {
    expect(forms.length).toBeGreaterThanOrEqual(commandRoutes.length + 1);
    for (const form of forms) if (form.command !== 'claimWish') expect(topFields(form).length).toBeGreaterThan(1);
    expect(topFields(forms.find((f) => f.command === 'solicitProblem')!)).toEqual(
      expect.arrayContaining(['title', 'description', 'raiser', 'category']),
    );
  });

  it.each(
    forms.map((f) => [f.command, f] as const),
  )('labels every top-level field of %s in both languages, each field its own', (_command, form) => {
    for (const lang of langs) {
      const labels = topFields(form).map((field) => {
        const label = fieldLabel(lang, `body.${field}`, form.command);
        expect(label, `${lang} body.${field}`).toMatch(/\S/);
        expect(fieldLabel(lang, `body.${field}`), `${lang} body.${field} without the command`).toMatch(/\S/);
        if (lang === 'zh') expect(label, field).toMatch(han);
        else expect(label, field).not.toMatch(cjk);
        return label;
      });
      expect(new Set(labels).size, `${lang}: ${labels.join(', ')}`).toBe(labels.length);
    }
  });

  it('labels the fields of nested objects on their own, and array items as their array', () => {
    let nested = 0;
    let items = 0;
    for (const form of forms)
      for (const [field, codecs] of propsOf(form.codec))
        for (const codec of codecs) {
          const parent = `body.${field}`;
          for (const lang of langs) {
            for (const child of propsOf(codec).keys()) {
              nested++;
              const label = fieldLabel(lang, `${parent}.${child}`, form.command);
              expect(label, `${lang} ${parent}.${child}`).toMatch(/\S/);
              expect(label, `${lang} ${parent}.${child}`).not.toBe(fieldLabel(lang, parent, form.command));
            }
            const item = itemsOf(codec);
            if (item === undefined) continue;
            for (const child of ['', ...propsOf(item).keys()]) {
              items++;
              const path = child === '' ? `${parent}.0` : `${parent}.3.${child}`;
              expect(fieldLabel(lang, path, form.command), `${lang} ${path}`).toBe(
                fieldLabel(lang, parent, form.command),
              );
            }
          }
        }
    // raiser, wisher, period, targets, quotas; problem and wish evidence
    expect(nested).toBeGreaterThan(20);
    expect(items).toBeGreaterThan(4);
  });

  it('strips array indexes, in either notation', () => {
    expect(fieldLabel('zh', 'body.evidence.0.uri')).toBe('佐证材料');
    expect(fieldLabel('en', 'body.evidence.12.caption')).toBe('evidence');
    expect(fieldLabel('zh', 'body.evidence[0].kind')).toBe('佐证材料');
  });

  it('uses the word of the command where a field name is shared', () => {
    expect(fieldLabel('zh', 'body.reason', 'escalateProblem')).toBe('上报理由');
    expect(fieldLabel('zh', 'body.reason', 'rejectProblem')).toBe('不予受理理由');
    expect(fieldLabel('zh', 'body.reason')).toBe('理由');
    expect(fieldLabel('en', 'body.kind', 'registerUnit')).toBe('level of the unit');
    expect(fieldLabel('zh', 'body.reason', 'noSuchCommand')).toBe('理由');
  });

  it('labels the fields the brief names', () => {
    expect(fieldLabel('zh', 'body.plan')).toBe('解题方案');
    expect(fieldLabel('en', 'body.plan')).toBe('plan');
    expect(fieldLabel('zh', 'body.promisedBy')).toBe('承诺办结日期');
    expect(fieldLabel('en', 'body.promisedBy')).toBe('promised date');
    expect(fieldLabel('zh', 'body.toUnitId')).toBe('转办单位');
    expect(fieldLabel('zh', 'body.raiser.name')).toBe('反映人姓名');
    expect(fieldLabel('zh', 'body.raiser.phone')).toBe('反映人电话');
  });

  it('labels path parameters and headers, whatever case a header is written in', () => {
    for (const route of commandRoutes)
      for (const param of route.pathParams)
        for (const lang of langs) expect(fieldLabel(lang, `path.${param}`), `path.${param}`).toMatch(/\S/);
    expect(fieldLabel('zh', 'header.If-Match')).toBe('版本');
    expect(fieldLabel('en', 'header.if-match')).toBe('version');
    expect(fieldLabel('zh', 'header.Idempotency-Key')).toBe('提交编号');
    expect(fieldLabel('zh', 'metadata.now')).toBe('办理时间');
  });

  it('says null for what is not a field of a form', () => {
    for (const path of [
      '',
      'body',
      'body.nickname',
      'body.0',
      'header.x-unknown',
      'path.other',
      'toString',
      'body.constructor',
    ])
      for (const lang of langs) expect(fieldLabel(lang, path), path).toBeNull();
  });
});
