// Atom 1.0 feeds of what the board announces: problems newly closed (销号) and wishes newly showcased
// (亮梦), for the whole district or under one unit (`?unit=`, the same unit filter as the 公示栏).
// Entry ids are tag: URIs, so they stay the same whichever host name a reader subscribed through.
import { listPublicProblems, showcase } from '@banshishi/read-models';
import { type Request, type Response, Router } from 'express';
import { Feed, type Item } from 'feed';
import { type BoardDeps, localMoment } from '../http/deps.js';
import { type DirectorySnapshot, directoryCache } from '../http/directory-cache.js';
import { identifier, known, param } from '../http/params.js';
import { cachedBriefly, languageOf } from '../http/render.js';
import { catalogues, type Messages } from '../i18n/index.js';
import { shownMoment } from '../views/context.js';
import { linkTo } from './filters.js';

/** How many entries a feed holds: enough for a reader polling daily in the busiest week of a campaign. */
export const feedSize = 50;

const tagBase = 'tag:banshishi.example,2021:';

/**
 * A Date that prints itself in local time with its offset. The feed package writes `updated` with
 * `toISOString()` (UTC); Atom takes any RFC 3339 offset, and the board writes every moment in `+08:00`.
 */
export const offsetDate = (at: string | Date): Date => {
  const date = new Date(typeof at === 'string' ? Date.parse(at) : at.getTime());
  date.toISOString = () => localMoment(date);
  return date;
};

/**
 * The feed package puts entry titles and summaries in CDATA of `type="html"`: the text is escaped as HTML
 * so an official's `<b>` stays five characters instead of markup a feed reader would render.
 */
export const htmlText = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * Atom wants absolute links. The request's own host is used when it looks like a host name (the Host
 * header is the client's word, so anything else falls back to relative-to-localhost rather than being echoed).
 */
export const baseOf = (req: Request): string => {
  const host = req.get('host') ?? '';
  return /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)
    ? `${req.protocol}://${host}`
    : 'http://localhost';
};

const unitOf = (req: Request, dir: DirectorySnapshot) =>
  known('unit', param(req, 'unit', identifier), (id) => dir.unitById.has(id));

const sendFeed = (res: Response, feed: Feed) => {
  cachedBriefly(res);
  res.type('application/atom+xml; charset=utf-8').send(feed.atom1());
};

interface FeedHead {
  readonly kind: 'closed' | 'showcased';
  readonly title: string;
  readonly subtitle: string;
  readonly alternate: string;
  readonly unitId: string | undefined;
  readonly items: readonly Item[];
}

const feedOf = (req: Request, m: Messages, asOf: Date, head: FeedHead): Feed => {
  const base = baseOf(req);
  const self = linkTo(`/feeds/${head.kind}.atom`, head.unitId === undefined ? {} : { unit: head.unitId });
  const feed = new Feed({
    id: `${tagBase}feeds/${head.kind}${head.unitId === undefined ? '' : `/${head.unitId}`}`,
    // Plain Atom text constructs: the XML writer escapes them (only entries are `type="html"`).
    title: head.title,
    description: head.subtitle,
    link: `${base}${head.alternate}`,
    feedLinks: { atom: `${base}${self}` },
    language: m.lang.code,
    // The newest entry's time, so the feed's `updated` changes only when an entry does.
    updated: head.items[0]?.date ?? offsetDate(asOf),
    author: { name: m.feeds.author },
  });
  for (const item of head.items) feed.addItem({ ...item, link: `${base}${item.link}` });
  return feed;
};

export const feedRoutes = (deps: BoardDeps): Router => {
  const router = Router();
  const directory = directoryCache(deps);
  const rm = deps.readModels;
  const evaluation = deps.evaluation === undefined ? {} : { config: deps.evaluation };

  router.get('/feeds/closed.atom', async (req, res) => {
    const dir = await directory();
    const unitId = unitOf(req, dir);
    const m = catalogues[languageOf(req)];
    const now = deps.clock();
    const rows = await listPublicProblems(rm, {
      asOf: localMoment(now),
      statuses: ['closed'],
      sort: 'closed',
      limit: feedSize,
      ...(unitId === undefined ? {} : { unitId }),
      ...evaluation,
    });
    const unitName = unitId === undefined ? undefined : (dir.unitById.get(unitId)?.name ?? unitId);
    const items = rows.flatMap((p): Item[] =>
      p.closed_at === null
        ? []
        : [
            {
              id: `${tagBase}problem/${p.problem_id}`,
              title: htmlText(m.feeds.closedEntry(p.title)),
              link: `/problems/${encodeURIComponent(p.problem_id)}`,
              date: offsetDate(p.closed_at),
              description: htmlText(
                m.feeds.closedSummary(
                  p.unit_name ?? p.unit_id,
                  p.claimant_name ?? m.labels.none,
                  shownMoment(p.closed_at),
                ),
              ),
            },
          ],
    );
    const feed = feedOf(req, m, now, {
      kind: 'closed',
      title: unitName === undefined ? m.feeds.closedTitle : m.feeds.closedTitleUnit(unitName),
      subtitle: m.feeds.closedSubtitle,
      alternate: linkTo('/disclosure', {
        kind: 'problems',
        status: 'closed',
        ...(unitId === undefined ? {} : { unit: unitId }),
      }),
      unitId,
      items,
    });
    sendFeed(res, feed);
  });

  router.get('/feeds/showcased.atom', async (req, res) => {
    const dir = await directory();
    const unitId = unitOf(req, dir);
    const m = catalogues[languageOf(req)];
    const now = deps.clock();
    const rows = await showcase(rm, { limit: feedSize, ...(unitId === undefined ? {} : { unitId }) });
    const unitName = unitId === undefined ? undefined : (dir.unitById.get(unitId)?.name ?? unitId);
    const items = rows.map(
      (s): Item => ({
        id: `${tagBase}wish/${s.wish_id}`,
        title: htmlText(
          m.feeds.showcasedEntry(m.labels.wishCategory[s.category] ?? s.category, s.unit_name ?? s.unit_id),
        ),
        link: `/wishes/${encodeURIComponent(s.wish_id)}`,
        date: offsetDate(s.showcased_at),
        description: htmlText(
          `${s.story} ${m.feeds.showcasedBy(s.member_name ?? m.labels.none, shownMoment(s.showcased_at))}`,
        ),
      }),
    );
    const feed = feedOf(req, m, now, {
      kind: 'showcased',
      title: unitName === undefined ? m.feeds.showcasedTitle : m.feeds.showcasedTitleUnit(unitName),
      subtitle: m.feeds.showcasedSubtitle,
      alternate: linkTo('/disclosure', {
        kind: 'wishes',
        status: 'showcased',
        ...(unitId === undefined ? {} : { unit: unitId }),
      }),
      unitId,
      items,
    });
    sendFeed(res, feed);
  });

  return router;
};
