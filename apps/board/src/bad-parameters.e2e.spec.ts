// Every filter the board reads, given wrong: a wrong type, an unknown value, a huge value, the parameter
// twice or as a list, and the usual injection attempts. Each is a 400 that names the parameter — in the
// error paragraph of a page, as `parameter` of the problem details of the board's JSON and exports — and
// never a 500; what was injected comes back escaped. An empty value is the parameter left out; an
// unknown item is a 404, however odd its id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BoardFixture, startBoardFixture } from './test-support/board-fixture.js';

let board: BoardFixture;
let campaignId: string;
let unitId: string;

/** The first capture of `pattern` in `text`; the premise of every spec below, so its absence stops them. */
const capture = (text: string, pattern: RegExp): string => {
  const found = pattern.exec(text)?.[1];
  if (found === undefined) throw new Error(`nothing matches ${pattern}`);
  return found;
};

beforeAll(async () => {
  board = await startBoardFixture({ demoScale: 300 });
  const page = await (await fetch(`${board.url}/disclosure`)).text();
  unitId = capture(page.slice(page.indexOf('name="unit"')), /<option value="([^"]+)"/);
  const home = await (await fetch(`${board.url}/`)).text();
  campaignId = decodeURIComponent(capture(home, /data-chart="\/api\/charts\/progress\?campaign=([^"&]+)"/));
});

afterAll(async () => {
  await board?.close();
});

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

const get = async (path: string, lang: 'zh' | 'en' = 'zh'): Promise<Answer> => {
  const response = await fetch(`${board.url}${path}`, {
    redirect: 'manual',
    headers: lang === 'en' ? { cookie: 'lang=en' } : {},
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
};

/** A query string as given: each pair is `name=value`, the value percent-encoded unless it is raw. */
type Pair = readonly [name: string, value: string] | { readonly raw: string };
const queryOf = (pairs: readonly Pair[]) =>
  pairs.map((p) => ('raw' in p ? p.raw : `${encodeURIComponent(p[0])}=${encodeURIComponent(p[1])}`)).join('&');

/** Values wrong for any parameter: too long, repeated, an array or object in disguise, injections. */
const anyParameter = (name: string): { label: string; pairs: Pair[] }[] => [
  { label: '10,000 characters', pairs: [[name, 'x'.repeat(10_000)]] },
  { label: 'a huge number', pairs: [[name, '1e30']] },
  { label: 'given twice', pairs: [{ raw: `${name}=a&${name}=b` }] },
  { label: 'as a list', pairs: [{ raw: `${name}[]=x` }] },
  { label: 'as an object', pairs: [{ raw: `${name}[a]=b` }] },
  { label: 'SQL', pairs: [[name, "' OR 1=1 --"]] },
  { label: 'a script', pairs: [[name, '<script>alert(1)</script>']] },
  { label: 'a NUL byte', pairs: [{ raw: `${name}=%00` }] },
  { label: 'a path', pairs: [[name, '../../etc/passwd']] },
  { label: 'a right-to-left override', pairs: [[name, '\u202Eelbat']] },
  { label: 'a zero-width space', pairs: [[name, 'a\u200Bb']] },
  { label: 'a query operator', pairs: [[name, '{"$ne":1}']] },
  { label: 'malformed percent-encoding', pairs: [{ raw: `${name}=%E0%A4%A` }] },
];

/** Values wrong for one parameter in particular: the wrong type, or a well-formed value nobody knows. */
const wrongFor: Record<string, readonly (string | { label: string; pairs: Pair[] })[]> = {
  kind: ['problem', 'PROBLEMS', '1'],
  unit: ['unknown-unit-0001', 'no such unit'],
  category: ['不存在的类别'],
  grade: ['huge', '0'],
  status: ['open', 'closed,open', ','],
  source: ['email', 'Resident'],
  campaign: ['unknown-campaign-0001'],
  from: ['2021-02-30', '20210301', '2021-3-1', 'yesterday', '0000-01-01'],
  to: [
    '2021-13-01',
    'tomorrow',
    {
      label: 'before from',
      pairs: [
        ['from', '2021-06-01'],
        ['to', '2021-05-31'],
      ],
    },
  ],
  overdue: ['yes', '2'],
  page: ['0', '-1', '1.5', '999999999', 'first'],
  page_size: ['0', '501', '-5', '999999999', 'all'],
  level: ['9', '-2', 'street', '2.5'],
  month: ['2021-13', '2021-1', '202106', '1999-00', 'June'],
  rate: ['speed', 'SCORE'],
};

const casesOf = (name: string, alsoWrong: readonly string[] = []) => [
  ...anyParameter(name),
  ...[...(wrongFor[name] ?? []), ...alsoWrong].map((v) =>
    typeof v === 'string' ? { label: JSON.stringify(v), pairs: [[name, v]] as Pair[] } : v,
  ),
];

/** The parameter a bad answer names: from the page's error paragraph, or the problem details. */
const namedIn = (answer: Answer): string | undefined => {
  if (answer.type.startsWith('application/problem+json'))
    return (JSON.parse(answer.body) as { parameter?: string }).parameter;
  const paragraph = /<p class="error">([\s\S]*?)<\/p>/.exec(answer.body)?.[1] ?? '';
  return /(?:参数|Parameter) (\S+) (?:有误|is wrong)/.exec(paragraph)?.[1];
};

/** What is wrong with a bad answer, or null when it is a 400 that names `name` in the right format. */
const wrongWith = (answer: Answer, name: string, family: 'page' | 'data'): string | null => {
  if (answer.status !== 400) return `status ${answer.status}`;
  const expectedType = family === 'page' ? 'text/html' : 'application/problem+json';
  if (!answer.type.startsWith(expectedType)) return `type ${answer.type}`;
  const named = namedIn(answer);
  if (named !== name) return `names ${named}`;
  // A page must escape what it echoes; problem details are JSON, whose strings may hold any text.
  if (family === 'page' && /<script>alert/i.test(answer.body)) return 'echoes the script unescaped';
  if (family === 'data') JSON.parse(answer.body);
  return null;
};

interface Route {
  readonly path: string;
  readonly family: 'page' | 'data';
  /** Parameters given with every case: the kind of item, say. */
  readonly base: readonly Pair[];
  readonly names: readonly string[];
  /** Values wrong on this route only (a wish status where problems are listed). */
  readonly alsoWrong?: Readonly<Record<string, readonly string[]>>;
}

/** Every filter of every route that reads filters. */
const routes: readonly Route[] = [
  {
    path: '/disclosure',
    family: 'page',
    base: [],
    names: [
      'kind',
      'unit',
      'category',
      'grade',
      'status',
      'source',
      'campaign',
      'from',
      'to',
      'overdue',
      'page',
      'page_size',
    ],
    alsoWrong: { status: ['showcased'] },
  },
  {
    path: '/disclosure',
    family: 'page',
    base: [['kind', 'wishes']],
    names: ['status', 'unit', 'category', 'campaign', 'from', 'to', 'page'],
    alsoWrong: { status: ['closed', 'solved'] },
  },
  {
    path: '/disclosure.csv',
    family: 'data',
    base: [['kind', 'problems']],
    names: ['kind', 'unit', 'category', 'grade', 'status', 'source', 'campaign', 'from', 'to', 'overdue'],
  },
  {
    path: '/disclosure.json',
    family: 'data',
    base: [['kind', 'problems']],
    names: [
      'kind',
      'unit',
      'category',
      'grade',
      'status',
      'source',
      'campaign',
      'from',
      'to',
      'overdue',
      'page',
      'page_size',
    ],
  },
  {
    path: '/disclosure.json',
    family: 'data',
    base: [['kind', 'wishes']],
    names: ['status'],
    alsoWrong: { status: ['closed'] },
  },
  { path: '/showcase', family: 'page', base: [], names: ['page', 'page_size'] },
  { path: '/showcase.json', family: 'data', base: [], names: ['unit'] },
  { path: '/rankings', family: 'page', base: [], names: ['level', 'month'] },
  { path: '/rankings.csv', family: 'data', base: [], names: ['level', 'month'] },
  { path: '/rankings.json', family: 'data', base: [], names: ['level', 'month'] },
  { path: '/feeds/closed.atom', family: 'data', base: [], names: ['unit'] },
  { path: '/feeds/showcased.atom', family: 'data', base: [], names: ['unit'] },
  { path: '/progress.csv', family: 'data', base: [], names: ['campaign'] },
  { path: '/api/charts/progress', family: 'data', base: [], names: ['campaign'] },
  { path: '/api/charts/rankings', family: 'data', base: [], names: ['level', 'month', 'rate'] },
];

describe('bad parameters', () => {
  for (const route of routes)
    for (const name of route.names) {
      const on = `${route.path}${route.base.length === 0 ? '' : `?${queryOf(route.base)}`}`;
      it(`a wrong ${name} on ${on} is a 400 naming ${name}, however it is wrong`, async () => {
        const wrong: string[] = [];
        for (const c of casesOf(name, route.alsoWrong?.[name])) {
          // A case about `kind` gives its own.
          const base = name === 'kind' ? [] : route.base;
          const answer = await get(`${route.path}?${queryOf([...base, ...c.pairs])}`);
          const problem = wrongWith(answer, name, route.family);
          if (problem !== null) wrong.push(`${c.label}: ${problem}`);
        }
        expect(wrong).toEqual([]);
      });
    }

  it('a wrong parameter is named in English too, and the injected text is escaped', async () => {
    const answer = await get(`/disclosure?category=${encodeURIComponent('<script>alert(1)</script>')}`, 'en');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/<html[^>]*lang="en/);
    expect(namedIn(answer)).toBe('category');
    expect(answer.body).not.toContain('<script>alert');
  });

  it('the progress chart names its campaign when it is missing, and answers for a known one', async () => {
    const missing = await get('/api/charts/progress');
    expect(wrongWith(missing, 'campaign', 'data')).toBeNull();
    const known = await get(`/api/charts/progress?campaign=${encodeURIComponent(campaignId)}`);
    expect(known.status).toBe(200);
  });

  it('the language switch refuses an unknown language and a huge way back, and never sends a reader off-site', async () => {
    expect(wrongWith(await get('/lang?to=fr'), 'to', 'page')).toBeNull();
    expect(wrongWith(await get(`/lang?to=en&back=/${'x'.repeat(10_000)}`), 'back', 'page')).toBeNull();
    for (const back of ['//evil.example/', '/\\evil.example', 'https://evil.example/', '%2F%2Fevil.example']) {
      const response = await fetch(`${board.url}/lang?to=en&back=${encodeURIComponent(back)}`, { redirect: 'manual' });
      expect(response.status, back).toBe(303);
      expect(response.headers.get('location'), back).toBe('/');
    }
  });

  it('an empty value is the parameter left out', async () => {
    const itemLinks = (answer: Answer) =>
      [...answer.body.matchAll(/href="(\/(?:problems|wishes)\/[^"]+)"/g)].map((m) => m[1]);
    for (const kind of ['problems', 'wishes'] as const) {
      const plain = await get(`/disclosure?kind=${kind}`);
      expect(plain.status).toBe(200);
      expect(itemLinks(plain).length).toBeGreaterThan(0);
      const names = ['unit', 'category', 'status', 'campaign', 'from', 'to', 'page', 'page_size'].concat(
        kind === 'problems' ? ['grade', 'source', 'overdue'] : [],
      );
      for (const name of names)
        for (const blank of ['', '%20'.repeat(3)]) {
          const answer = await get(`/disclosure?kind=${kind}&${name}=${blank}`);
          expect(answer.status, `${kind} ${name}=${blank}`).toBe(200);
          expect(itemLinks(answer), `${kind} ${name}=${blank}`).toEqual(itemLinks(plain));
        }
    }
    // A known unit is taken, and shown chosen: the blank one was read and set aside, not missed.
    const filtered = await get(`/disclosure?unit=${encodeURIComponent(unitId)}`);
    expect(filtered.status).toBe(200);
    expect(filtered.body).toMatch(new RegExp(`<option value="${unitId}"[^>]*selected`));
  });

  it('an unknown or odd item id is a 404, never a 500', async () => {
    const paths = [
      '/problems/unknown-problem-0001',
      '/wishes/unknown-wish-0001',
      '/problems/%00',
      `/wishes/${'w'.repeat(5000)}`,
      `/problems/${encodeURIComponent("' OR 1=1 --")}`,
      `/problems/${encodeURIComponent('<script>alert(1)</script>')}`,
      '/problems/..%2F..%2Fetc%2Fpasswd',
      `/wishes/${encodeURIComponent('\u202Eelbat')}`,
    ];
    for (const path of paths) {
      const answer = await get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.type, path).toMatch(/^text\/html/);
      expect(answer.body, path).not.toContain('<script>alert');
    }
  });

  it('a malformed percent-encoding is a 400, in the query or in the path, never a 500', async () => {
    for (const path of [
      '/disclosure?unit=%E0%A4%A',
      '/disclosure?category=%E0%A4%A',
      '/disclosure?%E0%A4%A=1&unit=%ZZ',
    ]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(400);
    }
    const inPath = await get('/problems/%E0%A4%A');
    expect(inPath.status).toBe(400);
    expect(inPath.type).toMatch(/^text\/html/);
  });
});
