// What `verify --receipt` says changed, leaf by leaf: the stored leaves against the ones rebuilt from today's
// log. Each attack is named by what it did — a hash changed, an event missing, one inserted, two moved, the
// positions renumbered — and not by the shifts it causes in everything after it.
import { describe, expect, it } from 'vitest';
import { compareLeaves } from './receipt.js';

type Leaf = Parameters<typeof compareLeaves>[0][number];

const log: Leaf[] = Array.from({ length: 12 }, (_, i) => ({
  index: i,
  eventId: `e-${i}`,
  streamId: `problem-${i % 3}`,
  revision: Math.floor(i / 3),
  globalPosition: 10 + i,
  hash: `hash-${i}`,
}));
const reindexed = (leaves: readonly Omit<Leaf, 'index'>[]): Leaf[] => leaves.map((l, index) => ({ ...l, index }));
const summary = (findings: ReturnType<typeof compareLeaves>) =>
  findings.map((f) => [f.kind, `${f.streamId}@${f.revision}`, ...(f.fields ?? [])]);

describe('the stored leaves against today’s log', () => {
  it('finds nothing when they are the same, nor in events the tree does not hold yet', () => {
    const later = reindexed([
      ...log,
      { eventId: 'e-new', streamId: 'problem-0', revision: 4, globalPosition: 30, hash: 'h' },
    ]);
    expect(compareLeaves(log, later)).toEqual([]);
  });

  it('names an event whose hash changed, and one whose event id was replaced at the same revision', () => {
    const today = log.map((l) =>
      l.index === 4 ? { ...l, hash: 'rewritten' } : l.index === 7 ? { ...l, eventId: 'e-forged' } : l,
    );
    expect(summary(compareLeaves(log, today))).toEqual([
      ['changed', 'problem-1@1', 'hash'],
      ['changed', 'problem-1@2', 'eventId'],
    ]);
  });

  it('names the deleted events, not the ones after them that moved down', () => {
    const today = reindexed(log.filter((l) => l.index !== 2 && l.index !== 5));
    expect(summary(compareLeaves(log, today))).toEqual([
      ['missing', 'problem-2@0'],
      ['missing', 'problem-2@1'],
    ]);
  });

  it('names an inserted event, and the positions renumbered after it as one finding', () => {
    const forged = { eventId: 'e-forged', streamId: 'problem-0', revision: 9, globalPosition: 14, hash: 'f' };
    const today = reindexed([
      ...log.slice(0, 4),
      forged,
      ...log.slice(4).map((l) => ({ ...l, globalPosition: l.globalPosition + 1 })),
    ]);
    const findings = compareLeaves(log, today);
    expect(summary(findings)).toEqual([
      ['extra', 'problem-0@9'],
      ['renumbered', 'problem-1@1'],
    ]);
    expect(findings[1]).toMatchObject({ count: 8, index: 4 });
  });

  it('names both events of a swap, with their positions', () => {
    const swapped = [...log];
    [swapped[2], swapped[9]] = [
      { ...log[9]!, globalPosition: log[2]!.globalPosition },
      { ...log[2]!, globalPosition: log[9]!.globalPosition },
    ];
    const findings = compareLeaves(log, reindexed(swapped));
    expect(findings.map((f) => [f.kind, f.eventId, f.index])).toEqual([
      ['moved', 'e-2', 2],
      ['moved', 'e-9', 9],
    ]);
    expect(findings[0]!.message).toContain('is event 9 of today');
  });

  it('lists a few position changes one by one rather than as a renumbering', () => {
    const today = log.map((l) => (l.index === 3 ? { ...l, globalPosition: 99 } : l));
    expect(summary(compareLeaves(log, today))).toEqual([['changed', 'problem-0@1', 'globalPosition']]);
  });
});
