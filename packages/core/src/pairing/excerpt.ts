// What a public excerpt of a visit diary may not say. Kept apart from the decider so read models, the demo
// and tests use the very same screen the decider applied. The screen is deliberately simple (docs/domain.md,
// "Pairing"): it catches the household's own details and anything shaped like a phone or ID number, and
// leaves judging the rest of the wording to the official who writes it.
import { isWithheldValue } from '../privacy/sealed-value.js';

/** Five digits or more in a row, spaces, hyphens and dots between them included: phones, ID and card numbers. */
export const excerptDigitRunLength = 5;

const squash = (s: string): string =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-.]+/g, '');

/** True when the text holds a run of `excerptDigitRunLength` digits or more (full-width digits count alike). */
export const hasDigitRun = (text: string): boolean => new RegExp(`\\d{${excerptDigitRunLength},}`).test(squash(text));

/**
 * True when a public excerpt gives away the household: its name, phone or address (compared without regard
 * to case or spacing), or any run of digits.
 */
export const revealsHousehold = (
  text: string,
  household: { readonly name: string; readonly phone: string | null; readonly address: string | null },
): boolean => {
  if (hasDigitRun(text)) return true;
  const haystack = squash(text);
  return [household.name, household.phone, household.address].some((value) => {
    // A forgotten detail is gone: there is nothing left to give away.
    if (value === null || isWithheldValue(value)) return false;
    const needle = squash(value);
    return needle.length > 0 && haystack.includes(needle);
  });
};
