import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Feed } from 'feed';
import { describe, expect, it } from 'vitest';
import { htmlText, offsetDate } from './feeds.js';

describe('feed text and times', () => {
  it('keeps an official’s markup and a CDATA terminator as characters in a well-formed feed', () => {
    const crafted = '<script>alert(1)</script> ]]> & "引号" \'x\'';
    const feed = new Feed({ id: 'tag:banshishi.example,2021:t', title: crafted, author: { name: 'a & b' } });
    feed.addItem({
      title: htmlText(crafted),
      description: htmlText(crafted),
      link: 'http://board.example/problems/P-1',
      date: offsetDate('2021-11-28T06:54:18.000Z'),
    });
    const xml = feed.atom1();
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain('<script>');
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    // The feed's own title is a plain text construct: the XML writer escapes it and a parser gets it back whole.
    expect(doc.feed.title).toBe(crafted);
    expect(doc.feed.entry.title['#text']).toBe(htmlText(crafted));
    expect(doc.feed.entry.updated).toBe('2021-11-28T14:54:18+08:00');
  });

  it('writes a moment in local time with its offset, the same instant', () => {
    const at = '2021-12-31T20:30:00.000Z';
    const date = offsetDate(at);
    expect(date.toISOString()).toBe('2022-01-01T04:30:00+08:00');
    expect(date.getTime()).toBe(Date.parse(at));
  });
});
