import { getInMemoryEventStore, type NewEvent } from '@banshishi/core';
import { describe, expect, it } from 'vitest';
import { historyLines, verifyAllStreams } from './verify.js';

const event = (i: number): NewEvent => ({
  eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  type: 'ProblemProgressNoted',
  schemaVersion: 1,
  data: { note: `进展 ${i}` },
  occurredAt: '2021-05-01T09:00:00+08:00',
  actor: { personId: 'sec-1', role: 'secretary', unitId: 'u-1' },
  correlationId: 'c',
  causationId: 'c',
});

describe('audit verification', () => {
  it('reports nothing when every stream is as written', async () => {
    const store = getInMemoryEventStore();
    await store.append('problem-1', [event(1), event(2)], { expectedRevision: 'no_stream' });
    await store.append('problem-2', [event(3)], { expectedRevision: 'no_stream' });
    expect(await verifyAllStreams(store)).toEqual({ streams: 2, events: 3, findings: [] });
  });

  it('names the stream and revision of an altered event', async () => {
    const store = getInMemoryEventStore();
    await store.append('problem-1', [event(1), event(2), event(3)], { expectedRevision: 'no_stream' });
    await store.append('problem-2', [event(4)], { expectedRevision: 'no_stream' });
    // The in-memory store keeps one object per event for the log and the stream: edit it in place, as a
    // hand-made UPDATE would edit a row.
    (store.log[1] as unknown as { data: unknown }).data = { note: '已整改' };
    const report = await verifyAllStreams(store);
    expect(report.findings).toEqual([
      expect.objectContaining({ streamId: 'problem-1', revision: 1, reason: 'hash_mismatch' }),
    ]);
  });

  it('prints who acted, in which role and unit, for each revision', async () => {
    const store = getInMemoryEventStore();
    await store.append('problem-1', [event(1)], { expectedRevision: 'no_stream' });
    const [line] = historyLines(await store.readStream('problem-1'));
    expect(line).toMatch(
      /^ {3}0 {2}2021-05-01T09:00:00\+08:00 {2}sec-1 \(secretary @ u-1\) {2}ProblemProgressNoted v1/,
    );
  });
});
