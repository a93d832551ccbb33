// The transparency log as the board publishes it (docs/board.md, "The transparency log"): the page, the
// latest checkpoint, every checkpoint by size, their list and Atom feed, the public key, and an inclusion
// proof for any event of an item on the board. The board reads the log's tables and never signs; without a
// published key the page says so and every other route answers 404. Proofs are served for the events of
// the public timelines only: a stream that is not an item on the board is not the board's to confirm.
import { bytesToBase64, openCheckpoint } from '@banshishi/core';
import { listPublicWishes, type PublicTimelineEntry, publicProblem, publicTimeline } from '@banshishi/read-models';
import { type LeafRecord, proveConsistency, proveEvent } from '@banshishi/transparency';
import type { Request, Response } from 'express';
import { Router } from 'express';
import { Feed, type Item } from 'feed';
import * as E from 'fp-ts/lib/Either.js';
import { type BoardDeps, figuresAsOf, type TransparencyPublication } from '../http/deps.js';
import { NotFound, Unprocessable } from '../http/errors.js';
import { identifier, param, wholeNumber } from '../http/params.js';
import { cachedBriefly, languageOf, pageContext, sendPage } from '../http/render.js';
import { catalogues } from '../i18n/index.js';
import { TransparencyPage } from '../pages/transparency.js';
import { shownMoment } from '../views/context.js';
import { baseOf, feedSize, htmlText, offsetDate } from './feeds.js';

/** Checkpoints on one page of the history. */
export const historyPageSize = 20;

const sizeDecoder = wholeNumber(0, 999_999_999);
const tagBase = 'tag:banshishi.example,2021:';

/** The item a stream is the history of (`problem-<id>`, `wish-<id>`), or undefined for any other stream. */
const itemOfStream = (streamId: string): { kind: 'problem' | 'wish'; id: string } | undefined => {
  const m = /^(problem|wish)-(.+)$/.exec(streamId);
  return m === null ? undefined : { kind: m[1] as 'problem' | 'wish', id: m[2]! };
};

/** One event of an item as its page lists it: the timeline entry, its leaf, and whether a checkpoint covers it. */
export interface ItemProofRow {
  readonly entry: PublicTimelineEntry;
  readonly leaf: LeafRecord | null;
  readonly signed: boolean;
}

export interface ItemProofs {
  readonly origin: string;
  readonly rows: readonly ItemProofRow[];
}

/** The item page's proofs section; null when the board does not publish the log. */
export const itemProofsOf = async (
  publication: TransparencyPublication | null | undefined,
  timeline: readonly PublicTimelineEntry[],
): Promise<ItemProofs | null> => {
  if (publication == null) return null;
  const { log, verifier } = publication;
  const [latest, leaves] = await Promise.all([
    log.latestCheckpoint(),
    Promise.all(timeline.map((e) => log.leafOfStream(e.stream_id, e.revision))),
  ]);
  return {
    origin: verifier.name,
    rows: timeline.map((entry, i) => {
      const leaf = leaves[i] ?? null;
      return { entry, leaf, signed: leaf !== null && latest !== null && leaf.index < latest.size };
    }),
  };
};

const sendText = (res: Response, text: string) => {
  cachedBriefly(res);
  res.type('text/plain; charset=utf-8').send(text);
};

const sendJson = (res: Response, body: unknown) => {
  cachedBriefly(res);
  res.type('application/json; charset=utf-8').send(JSON.stringify(body, null, 2));
};

/** A path segment decoded like a query parameter: a wrong one is a 400 naming it. */
const segment = <A,>(req: Request, name: string, decode: (raw: string, name: string) => A): A =>
  decode(String(req.params[name] ?? ''), name);

export const transparencyRoutes = (deps: BoardDeps): Router => {
  const router = Router();
  const rm = deps.readModels;
  const published = (): TransparencyPublication => {
    if (deps.transparency == null) throw new NotFound('the transparency log: not published on this board');
    return deps.transparency;
  };

  router.get('/transparency', async (req, res) => {
    const before = param(req, 'before', wholeNumber(1, 999_999_999));
    const ctx = await pageContext(req, deps);
    const base = baseOf(req);
    const publication = deps.transparency;
    if (publication == null) {
      const data = { base, key: null, origin: null, latest: null, latestVerifies: false, history: [] };
      sendPage(res, <TransparencyPage ctx={ctx} data={{ ...data, olderBefore: null, paged: false }} />);
      return;
    }
    const { log, verifier } = publication;
    const [latest, page] = await Promise.all([
      log.latestCheckpoint(),
      log.checkpoints({ ...(before === undefined ? {} : { before }), limit: historyPageSize + 1 }),
    ]);
    const history = page.slice(0, historyPageSize);
    const last = history[history.length - 1];
    const latestVerifies = latest !== null && E.isRight(openCheckpoint(latest.signed, verifier, verifier.name));
    sendPage(
      res,
      <TransparencyPage
        ctx={ctx}
        data={{
          base,
          key: verifier.encoded,
          origin: verifier.name,
          latest,
          latestVerifies,
          history,
          olderBefore: page.length > historyPageSize && last !== undefined ? last.size : null,
          paged: before !== undefined,
        }}
      />,
    );
  });

  router.get('/transparency/key', (_req, res) => {
    sendText(res, `${published().verifier.encoded}\n`);
  });

  router.get('/transparency/checkpoint', async (_req, res) => {
    const latest = await published().log.latestCheckpoint();
    if (latest === null) throw new NotFound('a signed checkpoint: none has been signed yet');
    sendText(res, latest.signed);
  });

  router.get('/transparency/checkpoints/:size', async (req, res) => {
    const { log } = published();
    const size = segment(req, 'size', sizeDecoder);
    const checkpoint = await log.checkpointAt(size);
    if (checkpoint === null) throw new NotFound(`a checkpoint of ${size} events`);
    sendText(res, checkpoint.signed);
  });

  router.get('/transparency/checkpoints.json', async (req, res) => {
    const { log, verifier } = published();
    const before = param(req, 'before', wholeNumber(1, 999_999_999));
    const limit = param(req, 'limit', wholeNumber(1, 500)) ?? 100;
    const page = await log.checkpoints({ ...(before === undefined ? {} : { before }), limit: limit + 1 });
    const shown = page.slice(0, limit);
    const last = shown[shown.length - 1];
    sendJson(res, {
      origin: verifier.name,
      key: verifier.encoded,
      checkpoints: shown.map((c) => ({
        size: c.size,
        root: bytesToBase64(c.root),
        madeAt: c.madeAt,
        note: `/transparency/checkpoints/${c.size}`,
      })),
      next:
        page.length > limit && last !== undefined
          ? `/transparency/checkpoints.json?before=${last.size}&limit=${limit}`
          : null,
    });
  });

  router.get('/transparency/feed.atom', async (req, res) => {
    const { log, verifier } = published();
    const m = catalogues[languageOf(req)];
    const base = baseOf(req);
    const checkpoints = await log.checkpoints({ limit: feedSize });
    const items = checkpoints.map(
      (c): Item => ({
        id: `${tagBase}transparency/${verifier.name}/${c.size}`,
        title: htmlText(m.transparency.feedEntry(c.size)),
        link: `${base}/transparency/checkpoints/${c.size}`,
        date: offsetDate(c.madeAt),
        description: htmlText(m.transparency.feedSummary(c.size, bytesToBase64(c.root), shownMoment(c.madeAt))),
      }),
    );
    const feed = new Feed({
      id: `${tagBase}transparency/${verifier.name}`,
      title: m.transparency.feedTitle,
      description: m.transparency.feedSubtitle,
      link: `${base}/transparency`,
      feedLinks: { atom: `${base}/transparency/feed.atom` },
      language: m.lang.code,
      updated: items[0]?.date ?? offsetDate(deps.clock()),
      author: { name: m.feeds.author },
      copyright: m.feeds.author,
    });
    for (const item of items) feed.addItem(item);
    cachedBriefly(res);
    res.type('application/atom+xml; charset=utf-8').send(feed.atom1());
  });

  // What a witness (or a reader with an old receipt) asks for: the proof that the later checkpoint extends the
  // earlier, both signed notes with it (`banshishi-audit witness` checks and countersigns it offline).
  const consistency = async (req: Request, res: Response, to: number | undefined) => {
    const { log } = published();
    const from = segment(req, 'from', sizeDecoder);
    const bundle = await proveConsistency(log, from, to);
    if (E.isLeft(bundle)) {
      if (bundle.left.code === 'not_found') throw new NotFound(bundle.left.message);
      throw new Unprocessable(bundle.left.rule, bundle.left.message);
    }
    sendJson(res, bundle.right);
  };
  router.get('/transparency/consistency/:from', (req, res) => consistency(req, res, undefined));
  router.get('/transparency/consistency/:from/:to', (req, res) =>
    consistency(req, res, segment(req, 'to', sizeDecoder)),
  );

  router.get('/transparency/proof/:stream/:revision', async (req, res) => {
    const { log } = published();
    const streamId = segment(req, 'stream', identifier);
    const revision = segment(req, 'revision', sizeDecoder);
    const item = itemOfStream(streamId);
    if (item === undefined) throw new NotFound(`stream ${streamId}: not an item on the board`);
    // What the item's page lists, and only while the board shows the item.
    const [shown, timeline] = await Promise.all([
      item.kind === 'problem'
        ? publicProblem(rm, item.id, figuresAsOf(deps), deps.evaluation).then((p) => p !== undefined)
        : listPublicWishes(rm, { wishIds: [item.id], limit: 1 }).then((w) => w.length > 0),
      publicTimeline(rm, item.kind, item.id),
    ]);
    if (!shown || !timeline.some((e) => e.stream_id === streamId && e.revision === revision))
      throw new NotFound(`${streamId}@${revision}: not a public event of an item on the board`);
    const bundle = await proveEvent(log, { streamId, revision });
    if (E.isLeft(bundle)) {
      if (bundle.left.code === 'not_found') throw new NotFound(bundle.left.message);
      throw new Unprocessable(bundle.left.rule, bundle.left.message);
    }
    sendJson(res, bundle.right);
  });

  return router;
};
