// A thousand hostile requests against the API on the fixture's in-memory store: the same kinds as the
// PostgreSQL fuzz, fewer of them, for a quick run. None may answer 5xx or be accepted, and the log must
// hold exactly the events it held before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, fixturePeople, startApiFixture } from './test-support/api-fixture.js';
import {
  combosOf,
  generate,
  groupsOf,
  itemsOf,
  judge,
  makeTokens,
  sendAll,
  setUpWorld,
  summaryOf,
  tally,
} from './test-support/hostile-requests.js';

const seed = Number(process.env.FUZZ_SEED ?? 20_261_203);

let api: ApiFixture;

const log = async () => JSON.stringify((await api.store.readAll({ limit: 1_000_000 })).events);

beforeAll(async () => {
  api = await startApiFixture();
  await setUpWorld(api, '');
  await setUpWorld(api, '-spare');
  await api.projected();
});

afterAll(async () => {
  await api?.close();
});

describe('a thousand hostile requests on the in-memory store', () => {
  it('none is answered 5xx or accepted, and the log is unchanged', async () => {
    const before = await log();
    const tokens = await makeTokens(api, [...fixturePeople, 'member-fz']);
    // Every forged token on every route alone comes to more than a thousand: here on one command and one read.
    const combos = combosOf(itemsOf(''), itemsOf('-spare'), tokens).filter(
      (c) => c.kind !== 'forged token' || c.route === 'claimProblem' || c.route === 'me',
    );
    const requests = generate(combos, 1_000, seed);
    const answers = await sendAll(api.url, requests, 12);
    console.log(`hostile requests (in memory): ${answers.length}, seed ${seed}\n${tally(answers)}`);
    const { serverErrors, accepted, notProblemDetails } = judge(answers);
    const shown = (label: string, found: typeof answers) =>
      found.length === 0
        ? ''
        : `${found.length} ${label}:\n${groupsOf(found)}\n${found.slice(0, 20).map(summaryOf).join('\n')}`;
    const failures = [
      shown('answered 5xx or not at all', serverErrors),
      shown('accepted (2xx)', accepted),
      shown('4xx that are not problem details', notProblemDetails),
    ].filter((f) => f !== '');
    expect(failures).toEqual([]);
    expect(await log()).toBe(before);
  }, 300_000);
});
