import { categoryOf, coreEventDefinitions, type NewEvent } from '@banshishi/core';
import { sealEvents } from '@banshishi/core/store';
import type { AuditEvent, AuditLog, AuditStream } from '@banshishi/store-postgres';
import { describe, expect, it } from 'vitest';
import { checkStream, coreRegistries, decodersOf, historyLines, verifyEventLog } from './verify.js';

const event = (i: number): NewEvent => ({
  eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  type: 'ProblemProgressNoted',
  schemaVersion: 1,
  data: { problemId: 'p-1', note: `进展 ${i}` },
  occurredAt: '2021-05-01T09:00:00+08:00',
  actor: { personId: 'sec-1', role: 'secretary', unitId: 'u-1' },
  correlationId: 'c',
  causationId: 'c',
});

/** A stream as the audit reads it from an untouched store, its positions starting at `firstPosition`. */
const stored = (streamId: string, newEvents: readonly NewEvent[], firstPosition: number): AuditStream => {
  const events: AuditEvent[] = sealEvents(streamId, null, newEvents, '2021-05-01T01:00:00.000Z').map((e, i) => ({
    ...e,
    globalPosition: firstPosition + i,
    category: categoryOf(streamId),
    txId: '1000',
    frontier: 'final',
  }));
  const last = events[events.length - 1]!;
  return { streamId, events, head: { revision: last.revision, hash: last.hash, category: categoryOf(streamId) } };
};

const logOf = (streams: readonly AuditStream[]): AuditLog => ({
  async eachStream(visit) {
    for (const stream of streams) await visit(stream);
    return { xmin: '2000', xmax: '2000' };
  },
  async close() {},
});

describe('audit verification', () => {
  it('reports nothing when every stream is as written', async () => {
    const log = logOf([stored('problem-1', [event(1), event(2)], 1), stored('problem-2', [event(3)], 3)]);
    expect(await verifyEventLog(log)).toEqual({ streams: 2, events: 3, findings: [] });
  });

  it('names the kind, stream, revision and position of an altered event', () => {
    const stream = stored('problem-1', [event(1), event(2), event(3)], 10);
    const events = stream.events.map((e) =>
      e.revision === 1 ? { ...e, data: { problemId: 'p-1', note: '已整改' } } : e,
    );
    expect(checkStream({ ...stream, events }, decodersOf(coreRegistries))).toEqual([
      {
        kind: 'hash_mismatch',
        streamId: 'problem-1',
        revision: 1,
        position: 11,
        message: 'problem-1@1 (position 11): content does not match its hash',
      },
    ]);
  });

  it('lists findings in stream-id order, streams that only have a head among them', async () => {
    const withHead = stored('problem-1', [event(1)], 1);
    const log = logOf([stored('problem-2', [event(2)], 2), { ...withHead, events: [] }]);
    const report = await verifyEventLog(log);
    expect(report.findings.map((f) => [f.kind, f.streamId])).toEqual([['missing_events', 'problem-1']]);
    expect(report).toMatchObject({ streams: 2, events: 1 });
  });

  it('prints who acted, in which role and unit, for each revision', () => {
    const [line] = historyLines(stored('problem-1', [event(1)], 1).events);
    expect(line).toMatch(
      /^ {3}0 {2}2021-05-01T09:00:00\+08:00 {2}sec-1 \(secretary @ u-1\) {2}ProblemProgressNoted v1/,
    );
  });
});

describe('the registries verify reads with', () => {
  it('know every event type core defines, SubjectForgotten included', () => {
    const known = new Set(coreRegistries.flatMap((r) => [...r.definitions.keys()]));
    expect([...new Set(coreEventDefinitions.map((d) => d.type))].filter((t) => !known.has(t))).toEqual([]);
  });
});
