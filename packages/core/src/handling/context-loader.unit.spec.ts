// The directory loader command handling consults before every command: however many commands ask at once,
// each sees everything stored before it asked, and they share reads instead of queueing one each.
import { describe, expect, it } from 'vitest';
import { getInMemoryEventStore } from '../store/in-memory.js';
import type { EventStore } from '../store/port.js';
import { createDirectoryContextLoader } from './context-loader.js';

const counting = (store: EventStore) => {
  let reads = 0;
  const counted: EventStore = {
    ...store,
    readAll: async (options) => {
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return store.readAll(options);
    },
  };
  return { store: counted, reads: () => reads };
};

describe('the directory context loader', () => {
  it('fifty commands asking at once share one read of the log, not fifty', async () => {
    const { store, reads } = counting(getInMemoryEventStore());
    const load = createDirectoryContextLoader(store);
    await Promise.all(Array.from({ length: 50 }, () => load()));
    // All fifty asked before the first read started, so that one read serves them all.
    expect(reads()).toBe(1);
    // Asked while a read runs, callers share the one read queued behind it.
    const during = load();
    await new Promise((resolve) => setTimeout(resolve, 1));
    await Promise.all([during, ...Array.from({ length: 20 }, () => load())]);
    expect(reads()).toBe(3);
  });

  it('a caller arriving during a read waits for one that starts after it asked, and sees what was stored', async () => {
    const inner = getInMemoryEventStore();
    const { store } = counting(inner);
    const load = createDirectoryContextLoader(store);
    const first = load();
    await new Promise((resolve) => setTimeout(resolve, 1));
    await inner.append(
      'unit-d9',
      [
        {
          eventId: '00000000-0000-4000-8000-000000000009',
          type: 'UnitRegistered',
          schemaVersion: 1,
          data: { unitId: 'd9', name: '测试区', kind: 'district', parentId: null },
          occurredAt: '2026-12-01T08:00:00+08:00',
          actor: { personId: 'system', role: 'system' },
          correlationId: 'c',
          causationId: 'c',
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    const second = await load();
    await first;
    expect(second.directory.unit('d9')?.name).toBe('测试区');
  });
});
