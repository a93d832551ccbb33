// The batched key maker of the embedded first start, on PGlite: keys handed out at once are stored only by
// `flush`, in one statement, and then read back the same from the store; a forgotten subject gets no key;
// a key another writer made meanwhile fails the flush instead of leaving values sealed with a lost key.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteExecutor } from './executor.js';
import { batchedSubjectKeyStore, getPGliteSubjectKeyStore, type SqlSubjectKeyStore } from './key-store.js';

let pglite: PGlite;
let store: SqlSubjectKeyStore;
beforeAll(async () => {
  pglite = await PGlite.create();
  store = await getPGliteSubjectKeyStore({ pglite });
});
afterAll(async () => {
  await store.close();
  await pglite.close();
});

const stored = async (subject: string) => (await store.lookup([subject])).get(subject);

describe('the batched key maker', () => {
  it('hands out a new key at once, stores it at the flush, and the store then gives the same key', async () => {
    await store.keyFor('person-known');
    const batched = await batchedSubjectKeyStore(pgliteExecutor(pglite), store);
    const made = await batched.keyFor('person-a');
    expect(await batched.keyFor('person-a')).toEqual(made);
    expect(await batched.keyFor('person-known')).toEqual(await store.keyFor('person-known'));
    expect(await stored('person-a')).toBeUndefined();
    await batched.flush();
    expect(await store.keyFor('person-a')).toEqual(made);
    await batched.flush(); // nothing new: nothing stored twice
    expect(await stored('person-a')).toEqual({ state: 'active', key: made });
  });

  it('makes no key for a forgotten subject', async () => {
    await store.keyFor('person-forgotten');
    await store.destroy('person-forgotten', '2021-06-01T00:00:00.000Z');
    const batched = await batchedSubjectKeyStore(pgliteExecutor(pglite), store);
    await expect(batched.keyFor('person-forgotten')).rejects.toMatchObject({ rule: 'privacy.subject_forgotten' });
  });

  it('fails the flush when another writer made one of its keys meanwhile', async () => {
    const batched = await batchedSubjectKeyStore(pgliteExecutor(pglite), store);
    const ours = await batched.keyFor('person-raced');
    await batched.keyFor('person-alone');
    const theirs = await store.keyFor('person-raced');
    await expect(batched.flush()).rejects.toThrow(/person-raced/);
    expect(await store.keyFor('person-raced')).toEqual(theirs);
    expect(theirs).not.toEqual(ours);
  });
});
