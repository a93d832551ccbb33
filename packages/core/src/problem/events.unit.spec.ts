// The problem events as stored: schema evolution (ProblemClaimed v1 → v2), which fields are residents'
// personal data, and the stream naming.

import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { personalFields, personalValues } from '../codec/personal.js';
import { directoryViewOf } from '../directory/static-view.js';
import type { NewEvent, StoredEvent } from '../envelope.js';
import { commandHandler } from '../handling/command-handler.js';
import { createCorePersonalDataSealer } from '../personal-data.js';
import { getInMemorySubjectKeyStore } from '../privacy/key-store.js';
import { getInMemoryEventStore } from '../store/in-memory.js';
import { problemStreamIdOf } from './commands.js';
import { problemDecider } from './decider.js';
import {
  geoPointOf,
  ProblemClaimed,
  ProblemEvaluated,
  ProblemSolicited,
  problemEventRegistry,
  problemEvents,
  problemStreamId,
} from './events.js';

const storedV1 = (
  data: unknown,
  occurredAt: string,
): Pick<StoredEvent, 'type' | 'schemaVersion' | 'data' | 'streamId' | 'revision' | 'occurredAt' | 'actor'> => ({
  type: 'ProblemClaimed',
  schemaVersion: 1,
  data,
  streamId: 'problem-p-1',
  revision: 1,
  occurredAt,
  actor: { personId: 'sec-1', role: 'secretary' },
});

const v1Claim = {
  problemId: 'p-1',
  claimantId: 'sec-1',
  claimantRole: 'secretary',
  claimantUnitId: 'community-a1',
  plan: '更换灯具',
  promisedDays: 7,
};

describe('ProblemClaimed schema evolution', () => {
  it('is stored at schema version 2', () => {
    expect(ProblemClaimed.schemaVersion).toBe(2);
    const encoded = problemEventRegistry.encode({
      type: 'ProblemClaimed',
      data: {
        problemId: 'p-1',
        claimantId: 'sec-1',
        claimantRole: 'secretary',
        claimantUnitId: 'community-a1',
        plan: '更换灯具',
        promisedBy: '2025-03-08',
      },
    });
    expect(encoded.schemaVersion).toBe(2);
  });

  it('a v1 event (promisedDays) reads as v2 (promisedBy), counted from the day it occurred', () => {
    const { promisedDays: _, ...rest } = v1Claim;
    expect(problemEventRegistry.decode(storedV1(v1Claim, '2025-03-01T09:00:00+08:00'))).toEqual(
      E.right({ type: 'ProblemClaimed', data: { ...rest, promisedBy: '2025-03-08' } }),
    );
  });

  it('the count runs in the calendar the event was written in, across a month end', () => {
    // 07:30 in Jiaozhou is still the previous day in UTC; the promise was made on 31 January local time.
    const decoded = problemEventRegistry.decode(storedV1({ ...v1Claim, promisedDays: 1 }, '2025-01-31T07:30:00+08:00'));
    expect(E.isRight(decoded) && decoded.right.data).toMatchObject({ promisedBy: '2025-02-01' });
  });

  it('a v1 event whose promisedDays is not a whole number is an integrity error naming stream and revision', () => {
    const decoded = problemEventRegistry.decode(
      storedV1({ ...v1Claim, promisedDays: '7' }, '2025-03-01T09:00:00+08:00'),
    );
    expect(decoded).toMatchObject(
      E.left({ code: 'integrity', rule: 'store.undecodable_event', details: { streamId: 'problem-p-1', revision: 1 } }),
    );
  });

  it('a stream holding a v1 claim is folded and decided on through the command handler', async () => {
    const store = getInMemoryEventStore();
    const base = {
      correlationId: 'c-1',
      causationId: 'c-1',
    };
    const events: NewEvent[] = [
      {
        ...base,
        eventId: '00000000-0000-4000-8000-000000000001',
        type: 'ProblemSolicited',
        schemaVersion: 1,
        occurredAt: '2025-03-01T08:00:00+08:00',
        actor: { personId: 'office-1', role: 'office' },
        data: {
          problemId: 'p-1',
          unitId: 'community-a1',
          source: 'supervision_case',
          grade: 'small',
          title: '路灯不亮',
          solicitedAt: '2025-03-01T08:00:00+08:00',
        },
      },
      {
        ...base,
        eventId: '00000000-0000-4000-8000-000000000002',
        type: 'ProblemClaimed',
        schemaVersion: 1,
        occurredAt: '2025-03-01T09:00:00+08:00',
        actor: { personId: 'sec-1', role: 'secretary' },
        data: v1Claim,
      },
    ];
    await store.append(problemStreamId('p-1'), events, { expectedRevision: 'no_stream' });
    const handle = commandHandler({
      personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
      store,
      decider: problemDecider,
      registry: problemEventRegistry,
      streamIdOf: problemStreamIdOf,
      context: async () => ({
        directory: directoryViewOf({ units: [], holdings: [] }),
        wishClaims: { openClaimsOf: () => 0, limit: 3 },
      }),
    });
    const result = await handle({
      type: 'noteProblemProgress',
      data: { problemId: 'p-1', note: '已报修' },
      metadata: { actor: { personId: 'sec-1', role: 'secretary' }, now: '2025-03-02T10:00:00+08:00' },
    });
    expect(E.isRight(result) && result.right.state).toMatchObject({
      status: 'claimed',
      claim: { claimantId: 'sec-1', promisedBy: '2025-03-08' },
    });
  });
});

describe('personal data in problem events', () => {
  it('marks the raiser’s name, phone, address, email and location, the enterprise contact and the free-text description', () => {
    expect(personalFields(ProblemSolicited.codec)).toEqual(
      expect.arrayContaining([
        { path: 'description', kind: 'free_text_contact' },
        { path: 'raiser.name', kind: 'name' },
        { path: 'raiser.phone', kind: 'phone' },
        { path: 'raiser.address', kind: 'address' },
        { path: 'raiser.email', kind: 'email' },
        { path: 'raiser.location', kind: 'location' },
        { path: 'raiser.contactName', kind: 'name' },
        { path: 'raiser.contactPhone', kind: 'phone' },
      ]),
    );
    expect(personalFields(ProblemSolicited.codec)).toHaveLength(8);
  });

  it('reads a solicited problem written before email and location existed, and refuses a location that is no point', () => {
    const before = {
      problemId: 'p-1',
      unitId: 'community-a1',
      source: 'resident',
      grade: 'small',
      title: '楼道灯不亮',
      solicitedAt: '2025-03-01T09:00:00+08:00',
      raiser: { kind: 'resident', name: '张三', phone: '13800000000' },
    };
    expect(E.isRight(ProblemSolicited.codec.decode(before))).toBe(true);
    const at = (location: string) => ({ ...before, raiser: { ...before.raiser, location } });
    expect(E.isRight(ProblemSolicited.codec.decode(at(geoPointOf(36.2701, 120.0333))))).toBe(true);
    expect(geoPointOf(36.2701, -120.0333)).toBe('36.270100,-120.033300');
    for (const bad of ['36.27', '91,120', '36.27,181', '36.27, 120.03', 'Infinity,0', '1e1,2'])
      expect(E.isRight(ProblemSolicited.codec.decode(at(bad))), bad).toBe(false);
  });

  it('keeps officials and units public: the claim carries no personal field', () => {
    expect(personalFields(ProblemClaimed.codec)).toEqual([]);
  });

  it('marks the comment of a rating', () => {
    expect(personalFields(ProblemEvaluated.codec)).toEqual([{ path: 'comment', kind: 'free_text_contact' }]);
  });

  it('finds the personal values of a solicited problem so tests can check they never leak', () => {
    const values = personalValues(ProblemSolicited.codec, {
      problemId: 'p-1',
      unitId: 'community-a1',
      source: 'resident',
      grade: 'small',
      title: '楼道灯不亮',
      solicitedAt: '2025-03-01T09:00:00+08:00',
      description: '请联系张三 13800000000',
      raiser: {
        kind: 'resident',
        personId: 'resident-1',
        name: '张三',
        phone: '13800000000',
        address: '三里河路 1 号',
      },
    });
    expect(values.sort()).toEqual(['13800000000', '三里河路 1 号', '张三', '请联系张三 13800000000'].sort());
  });
});

describe('problem streams and registry', () => {
  it('names a problem’s stream problem-<problemId>', () => {
    expect(problemStreamId('JZ-2025-0001')).toBe('problem-JZ-2025-0001');
  });

  it('registers every problem event once', () => {
    expect([...problemEventRegistry.definitions.keys()].sort()).toEqual(problemEvents.map((d) => d.type).sort());
  });
});
