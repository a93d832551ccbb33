// The cadence of an enterprise's service (seeds 000, 002: first contact within two weeks, at least one contact
// a month, two on-site visits a year), derived from time on the read side as overdue is (problem/overdue.ts):
// the decider never stores it. The rule values are configuration, like a campaign's; the board and the
// projection's queries apply this one function. docs/domain.md ("Enterprise service") states it in words.
import { addDays, calendarDateOf } from '../codec/dates.js';
import type { ContactKind } from './events.js';

export interface ServiceCadenceRules {
  /** Days from the assignment's calendar day within which the first contact is due. */
  readonly firstContactDays: number;
  /** Contacts due in every calendar month after the month of assignment. */
  readonly contactsPerMonth: number;
  /** On-site visits (上门) due in a calendar year served in full; a part year owes its share, rounded up. */
  readonly onSiteVisitsPerYear: number;
}

export const defaultServiceCadence: ServiceCadenceRules = {
  firstContactDays: 14,
  contactsPerMonth: 1,
  onSiteVisitsPerYear: 2,
};

/** What the cadence depends on: the service period and the contacts' days and kinds, nothing else. */
export interface CadenceFacts {
  /** When the service (this period of it) began: a timestamp or a calendar date. */
  readonly since: string;
  /** When it ended, or null while it runs. */
  readonly until: string | null;
  readonly contacts: readonly { readonly date: string; readonly kind: ContactKind }[];
}

export interface YearOnSite {
  readonly year: number;
  readonly onSite: number;
  readonly required: number;
}

export interface CadenceStatus {
  /** met: on time; late: made after the window; pending: none yet, still in the window; overdue: none, window past. */
  readonly firstContact: 'met' | 'late' | 'pending' | 'overdue';
  readonly firstContactDue: string;
  /** Calendar months (YYYY-MM) judged and short of contacts: after the assignment month, before the current one. */
  readonly monthsMissed: readonly string[];
  /** Calendar years completed in service with fewer on-site visits than due. */
  readonly yearsMissed: readonly YearOnSite[];
  /** The year still running (or the one the service ended in): visits so far and its due share. */
  readonly currentYear: YearOnSite;
  /** True when nothing judged so far was missed. */
  readonly compliant: boolean;
}

const monthOf = (date: string): string => date.slice(0, 7);
const nextMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/** The share of a year's visits owed for the months served in it, from `fromMonth` (1-12) to December. */
const dueInYear = (rules: ServiceCadenceRules, fromMonth: number): number =>
  Math.ceil((rules.onSiteVisitsPerYear * (13 - fromMonth)) / 12);

/**
 * The cadence as of `now` (a timestamp; an ended service is judged as of its end). Only contacts dated within
 * the period count. A month or a year is judged once it is over; the month of assignment is covered by the
 * first-contact rule instead, and the month or year still running is progress, not a miss.
 */
export const serviceCadence = (
  facts: CadenceFacts,
  now: string,
  rules: ServiceCadenceRules = defaultServiceCadence,
): CadenceStatus => {
  const start = calendarDateOf(facts.since);
  const nowDay = calendarDateOf(now);
  const today = facts.until !== null && calendarDateOf(facts.until) < nowDay ? calendarDateOf(facts.until) : nowDay;
  const contacts = facts.contacts.filter((c) => c.date >= start && c.date <= today);

  const firstContactDue = addDays(start, rules.firstContactDays);
  const first = contacts.reduce<string | null>((min, c) => (min === null || c.date < min ? c.date : min), null);
  const firstContact =
    first !== null ? (first <= firstContactDue ? 'met' : 'late') : today > firstContactDue ? 'overdue' : 'pending';

  const perMonth = new Map<string, number>();
  for (const c of contacts) perMonth.set(monthOf(c.date), (perMonth.get(monthOf(c.date)) ?? 0) + 1);
  const monthsMissed: string[] = [];
  for (let m = nextMonth(monthOf(start)); m < monthOf(today); m = nextMonth(m))
    if ((perMonth.get(m) ?? 0) < rules.contactsPerMonth) monthsMissed.push(m);

  const startYear = Number(start.slice(0, 4));
  const todayYear = Number(today.slice(0, 4));
  const onSiteIn = (year: number) =>
    contacts.filter((c) => c.kind === 'on_site' && Number(c.date.slice(0, 4)) === year).length;
  const yearOf = (year: number): YearOnSite => ({
    year,
    onSite: onSiteIn(year),
    required: dueInYear(rules, year === startYear ? Number(start.slice(5, 7)) : 1),
  });
  const yearsMissed: YearOnSite[] = [];
  for (let y = startYear; y < todayYear; y++) {
    const judged = yearOf(y);
    if (judged.onSite < judged.required) yearsMissed.push(judged);
  }

  return {
    firstContact,
    firstContactDue,
    monthsMissed,
    yearsMissed,
    currentYear: yearOf(todayYear),
    compliant:
      (firstContact === 'met' || firstContact === 'pending') && monthsMissed.length === 0 && yearsMissed.length === 0,
  };
};
