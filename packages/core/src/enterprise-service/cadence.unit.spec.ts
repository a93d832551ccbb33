// The cadence rules of an enterprise's service (first contact within 14 days, a contact every calendar month,
// two on-site visits a year), derived from time by `serviceCadence`.
import { describe, expect, it } from 'vitest';
import { serviceCadence } from './cadence.js';

const since = '2026-03-02T09:00:00+08:00';
const at = (date: string) => `${date}T12:00:00+08:00`;
const phone = (date: string) => ({ date, kind: 'phone' as const });
const onSite = (date: string) => ({ date, kind: 'on_site' as const });

describe('the first contact (首次对接 within two weeks)', () => {
  it('is pending until the fourteenth day after assignment, and overdue after it', () => {
    const facts = { since, until: null, contacts: [] };
    expect(serviceCadence(facts, at('2026-03-16'))).toMatchObject({ firstContact: 'pending', compliant: true });
    expect(serviceCadence(facts, at('2026-03-17'))).toMatchObject({
      firstContact: 'overdue',
      firstContactDue: '2026-03-16',
      compliant: false,
    });
  });
  it('is met by a contact on the last day, and late after it', () => {
    expect(serviceCadence({ since, until: null, contacts: [phone('2026-03-16')] }, at('2026-03-20'))).toMatchObject({
      firstContact: 'met',
      compliant: true,
    });
    expect(serviceCadence({ since, until: null, contacts: [phone('2026-03-17')] }, at('2026-03-20'))).toMatchObject({
      firstContact: 'late',
      compliant: false,
    });
  });
  it('counts only contacts within the service period', () => {
    const facts = { since, until: null, contacts: [phone('2026-02-20')] };
    expect(serviceCadence(facts, at('2026-03-20')).firstContact).toBe('overdue');
  });
});

describe('a contact every calendar month', () => {
  it('judges the months after the month of assignment once they are over', () => {
    const contacts = [phone('2026-03-05'), phone('2026-04-30'), onSite('2026-06-01')];
    const status = serviceCadence({ since, until: null, contacts }, at('2026-07-15'));
    expect(status.monthsMissed).toEqual(['2026-05']);
    expect(status.compliant).toBe(false);
  });
  it('does not judge the month still running', () => {
    const status = serviceCadence({ since, until: null, contacts: [phone('2026-03-05')] }, at('2026-04-29'));
    expect(status.monthsMissed).toEqual([]);
    expect(status.compliant).toBe(true);
  });
  it('an ended service is judged as of its end', () => {
    const status = serviceCadence(
      { since, until: '2026-05-10T09:00:00+08:00', contacts: [phone('2026-03-05'), phone('2026-04-05')] },
      at('2026-12-01'),
    );
    expect(status.monthsMissed).toEqual([]);
  });
  it('the number due a month is configuration', () => {
    const rules = { firstContactDays: 14, contactsPerMonth: 2, onSiteVisitsPerYear: 2 };
    const status = serviceCadence(
      { since, until: null, contacts: [phone('2026-03-05'), phone('2026-04-05')] },
      at('2026-05-02'),
      rules,
    );
    expect(status.monthsMissed).toEqual(['2026-04']);
  });
});

describe('two on-site visits a year', () => {
  it("shows the running year's visits against its due share, prorated from the month of assignment", () => {
    const status = serviceCadence({ since, until: null, contacts: [onSite('2026-03-05')] }, at('2026-03-20'));
    expect(status.currentYear).toEqual({ year: 2026, onSite: 1, required: 2 });
    const late = serviceCadence({ since: '2026-11-02T09:00:00+08:00', until: null, contacts: [] }, at('2026-11-03'));
    expect(late.currentYear).toEqual({ year: 2026, onSite: 0, required: 1 });
  });
  it('judges a year once it is over; phone calls and meetings are not on-site visits', () => {
    const contacts = [onSite('2026-03-05'), { date: '2026-06-01', kind: 'meeting' as const }];
    const status = serviceCadence({ since, until: null, contacts }, at('2027-01-10'));
    expect(status.yearsMissed).toEqual([{ year: 2026, onSite: 1, required: 2 }]);
    expect(status.currentYear).toEqual({ year: 2027, onSite: 0, required: 2 });
  });
});
