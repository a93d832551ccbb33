// The ledger's 时间表: which day a problem is held to in each state, by the same windows overdue counts with.
import { describe, expect, it } from 'vitest';
import { defaultEvaluationConfig, withDefaults } from './config.js';
import { ledgerDeadlineOf } from './ledger.js';

const raised = { solicited_date: '2021-03-30', grade: 'small', promised_by: null } as const;

describe('a problem on the ledger is held to', () => {
  it('the last day of its grade’s response window while nobody has claimed it, across a month end', () => {
    const days = defaultEvaluationConfig.responseWindowDays.small;
    const expected = new Date(Date.UTC(2021, 2, 30 + days)).toISOString().slice(0, 10);
    for (const status of ['solicited', 'assigned'] as const)
      expect(ledgerDeadlineOf({ ...raised, status }, defaultEvaluationConfig)).toEqual({
        date: expected,
        kind: 'response_window',
      });
  });

  it('the window the board is configured with, not core’s default', () => {
    const config = withDefaults({ responseWindowDays: { ...defaultEvaluationConfig.responseWindowDays, small: 2 } });
    expect(ledgerDeadlineOf({ ...raised, status: 'solicited' }, config)?.date).toBe('2021-04-01');
  });

  it('the promised date once claimed, and still after it is solved or closed', () => {
    for (const status of ['claimed', 'solved', 'closed'] as const)
      expect(ledgerDeadlineOf({ ...raised, status, promised_by: '2021-04-20' }, defaultEvaluationConfig)).toEqual({
        date: '2021-04-20',
        kind: 'promised',
      });
  });

  it('no day at all when it was rejected before anyone claimed it', () => {
    expect(ledgerDeadlineOf({ ...raised, status: 'rejected' }, defaultEvaluationConfig)).toBeNull();
  });
});
