// What every page template is given: the reader's language and catalogue, where they are (for the
// language switch and active navigation), and how fresh the figures are.
import { type Freshness, localMoment } from '../http/deps.js';
import type { Lang, Messages } from '../i18n/index.js';

export interface PageContext {
  readonly lang: Lang;
  readonly m: Messages;
  /** The request's path and query, for the language switch to come back to. */
  readonly url: string;
  readonly freshness: Freshness;
  /** The moment figures are taken at, local time with offset. */
  readonly asOf: string;
}

/** A moment shown to people: local date and time to the minute, as written in the log (`+08:00`). */
export const shownMoment = (at: string | null | undefined): string => {
  const ms = at == null ? Number.NaN : Date.parse(at);
  return Number.isNaN(ms) ? '—' : localMoment(new Date(ms)).replace('T', ' ').slice(0, 16);
};

/** A calendar date as written (`YYYY-MM-DD`), or the local date of a moment. */
export const shownDate = (at: string | null | undefined): string =>
  at == null ? '—' : /^\d{4}-\d{2}-\d{2}$/.test(at) ? at : shownMoment(at).slice(0, 10);

export const percent = (rate: number | null): string => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
