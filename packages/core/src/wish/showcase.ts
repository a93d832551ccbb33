// What 亮梦 may reveal about the wisher. Kept apart from the decider so read models and tests use the
// very same masking the decider applied.
import { isWithheldValue } from '../privacy/sealed-value.js';

/**
 * The masked display name for a `named` showcase: the first character (the surname, for Chinese names)
 * and two stars, whatever the length, so the mask does not reveal how long the name is: 张三丰 → 张**.
 */
export const maskWisherName = (name: string): string => {
  const first = Array.from(name.trim())[0] ?? '';
  return `${first}**`;
};

/**
 * True when a public text gives away any of the wisher's personal details (name, phone, address);
 * compared without regard to case or spacing, so `Ann  Lee` and `ann lee` count alike.
 */
export const revealsWisher = (
  text: string,
  wisher: { readonly name: string; readonly phone: string | null; readonly address: string | null },
): boolean => {
  const squash = (s: string) => s.toLowerCase().replace(/[\s-]+/g, '');
  const haystack = squash(text);
  return [wisher.name, wisher.phone, wisher.address].some((value) => {
    // A forgotten detail is gone: there is nothing left to give away.
    if (value === null || isWithheldValue(value)) return false;
    const needle = squash(value);
    return needle.length > 0 && haystack.includes(needle);
  });
};
