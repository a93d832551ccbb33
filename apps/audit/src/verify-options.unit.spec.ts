// verify's options: progress in streams and events, the replay handed each stream's decoded events once,
// and the SHA-256 the chain is recomputed with.
import { categoryOf, type NewEvent, type StoredEvent, sha256Hex } from '@banshishi/core';
import { sealEvents } from '@banshishi/core/store';
import type { AuditEvent, AuditLog, AuditStream } from '@banshishi/store-postgres';
import { describe, expect, it } from 'vitest';
import { checkStream, coreRegistries, decodersOf, type Finding, verifyEventLog } from './verify.js';

const note = (i: number): NewEvent => ({
  eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  type: 'ProblemProgressNoted',
  schemaVersion: 1,
  data: { problemId: 'p-1', note: `进展 ${i}` },
  occurredAt: '2021-05-01T09:00:00+08:00',
  actor: { personId: 'sec-1', role: 'secretary', unitId: 'u-1' },
  correlationId: 'c',
  causationId: 'c',
});

const stored = (streamId: string, events: readonly NewEvent[], firstPosition: number): AuditStream => {
  const sealed: AuditEvent[] = sealEvents(streamId, null, events, '2021-05-01T01:00:00.000Z').map((e, i) => ({
    ...e,
    globalPosition: firstPosition + i,
    category: categoryOf(streamId),
    txId: '1000',
    frontier: 'final',
  }));
  const last = sealed[sealed.length - 1]!;
  return {
    streamId,
    events: sealed,
    head: { revision: last.revision, hash: last.hash, category: categoryOf(streamId) },
  };
};

const logOf = (streams: readonly AuditStream[]): AuditLog => ({
  async eachStream(visit) {
    for (const stream of streams) await visit(stream);
    return { xmin: '2000', xmax: '2000' };
  },
  async close() {},
});

describe('verify options', () => {
  it('reports progress in streams and events every 1,000 streams and once at the end', async () => {
    const streams = Array.from({ length: 2500 }, (_, i) => stored(`problem-${i}`, [note(1), note(2)], 1 + 2 * i));
    const progress: [number, number][] = [];
    await verifyEventLog(logOf(streams), { onProgress: (s, e) => progress.push([s, e]) });
    expect(progress).toEqual([
      [1000, 2000],
      [2000, 4000],
      [2500, 5000],
    ]);
  });

  it('hands the replay each stream whose chain holds and whose events all decode, once, decoded in revision order', async () => {
    const whole = stored('problem-1', [note(1), note(2)], 1);
    const undecodable = stored('problem-2', [{ ...note(3), data: { problemId: 'p-2' } }], 3);
    const tampered = stored('problem-3', [note(4)], 4);
    const edited = {
      ...tampered,
      events: tampered.events.map((e) => ({ ...e, data: { problemId: 'p-3', note: '改' } })),
    };
    const seen: [string, StoredEvent[]][] = [];
    const replay = (streamId: string, decoded: readonly StoredEvent[]): Finding[] => {
      seen.push([streamId, [...decoded]]);
      return [{ kind: 'impossible_step', streamId, revision: 1, position: 2, message: 'forged' }];
    };
    const report = await verifyEventLog(logOf([whole, undecodable, edited]), { replay });
    expect(seen.map(([id, events]) => [id, events.map((e) => [e.revision, e.data])])).toEqual([
      [
        'problem-1',
        [
          [0, { problemId: 'p-1', note: '进展 1' }],
          [1, { problemId: 'p-1', note: '进展 2' }],
        ],
      ],
    ]);
    expect(report.findings.map((f) => [f.streamId, f.kind])).toEqual([
      ['problem-1', 'impossible_step'],
      ['problem-2', 'undecodable_event'],
      ['problem-3', 'hash_mismatch'],
    ]);
  });

  it('puts the replay findings after the events and before the head', () => {
    const stream = stored('problem-1', [note(1)], 1);
    const findings = checkStream(
      { ...stream, head: { ...stream.head!, category: 'wish' } },
      decodersOf(coreRegistries),
      (id) => [{ kind: 'impossible_step', streamId: id, revision: 0, position: 1, message: 'forged' }],
    );
    expect(findings.map((f) => f.kind)).toEqual(['impossible_step', 'wrong_category']);
  });

  it('recomputes the chain with the SHA-256 it is given, node:crypto by default and the portable one alike', async () => {
    const log = logOf([stored('problem-1', [note(1), note(2)], 1)]);
    expect((await verifyEventLog(log)).findings).toEqual([]);
    expect((await verifyEventLog(log, { sha256: sha256Hex })).findings).toEqual([]);
    const salted = await verifyEventLog(log, { sha256: (text) => sha256Hex(`salt:${text}`) });
    expect(salted.findings.map((f) => [f.kind, f.revision])).toEqual([['hash_mismatch', 0]]);
  });
});
