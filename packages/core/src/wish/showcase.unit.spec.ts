// What 亮梦 may reveal: a masked name, and a story free of the wisher's personal details.
import { describe, expect, it } from 'vitest';
import { maskWisherName, revealsWisher } from './showcase.js';

describe('masking the wisher’s name', () => {
  it.each([
    ['张三丰', '张**'],
    ['李四', '李**'],
    ['欧阳娜娜', '欧**'],
    ['  Ann Lee ', 'A**'],
    ['𠮷野家', '𠮷**'],
  ])('%s is shown as %s: the first character only, and never the length', (name, masked) => {
    expect(maskWisherName(name)).toBe(masked);
  });
});

describe('a story revealing the wisher', () => {
  const wisher = { name: 'Ann Lee', phone: '138-0000-1111', address: null };

  it('a story naming the wisher, in any case or spacing, reveals them', () => {
    expect(revealsWisher('Thanks to ann  lee for the idea', wisher)).toBe(true);
  });

  it('a story giving the phone number with other separators reveals them', () => {
    expect(revealsWisher('call 138 0000 1111', wisher)).toBe(true);
  });

  it('a story about “an elderly resident” does not', () => {
    expect(revealsWisher('An elderly resident learned to video-call her family', wisher)).toBe(false);
  });
});
