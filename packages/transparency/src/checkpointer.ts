// The checkpointer: follows the event store from where the tree ends, appends each batch as leaves (one
// transaction per batch, with the cursor, so a crash redoes at most the batch in flight), and signs a
// checkpoint every `intervalMs` when the tree has grown, and whenever asked. Each checkpoint is kept in
// the append-only table and, if a folder is given, as `<size>.checkpoint` and `latest.checkpoint`.
// A lost store or database stops nothing: the subscription is started again from the tree's cursor.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventStore, NoteSigner, Subscription } from '@banshishi/core';
import type { StoredCheckpoint, TransparencyLog } from './log.js';

export interface CheckpointerLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface CheckpointerOptions {
  readonly store: Pick<EventStore, 'subscribe'>;
  readonly log: TransparencyLog;
  readonly signer: NoteSigner;
  /** The log's name, the checkpoint's first line; the signer key is named after it. */
  readonly origin: string;
  /** How often a grown tree is signed. */
  readonly intervalMs: number;
  readonly checkpointDir?: string;
  readonly batchSize?: number;
  readonly logger?: CheckpointerLogger;
  /** First wait before subscribing again after a failure (doubles up to 30 s; default 500 ms). */
  readonly retryMs?: number;
}

export interface Checkpointer {
  /** Resolves once the tree holds every event visible at start, and that tree is signed. */
  readonly caughtUp: Promise<void>;
  /** Signs the tree as it stands now (or returns the latest checkpoint if the tree has not grown). */
  checkpointNow(): Promise<StoredCheckpoint>;
  stop(): Promise<void>;
}

const quiet: CheckpointerLogger = { info: () => {}, warn: () => {} };

const writeAtomically = async (path: string, text: string) => {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
};

export const startCheckpointer = (options: CheckpointerOptions): Checkpointer => {
  const { store, log, signer, origin, intervalMs, checkpointDir } = options;
  const logger = options.logger ?? quiet;
  const retryMs = options.retryMs ?? 500;
  let stopped = false;
  let subscription: Subscription | undefined;
  let retryTimer: NodeJS.Timeout | undefined;

  // One signing at a time: the interval, an operator's request and the catch-up never sign concurrently.
  let signing: Promise<unknown> = Promise.resolve();
  const signNow = (): Promise<StoredCheckpoint> => {
    const next = signing.then(async () => {
      const before = await log.latestCheckpoint();
      const made = await log.sign(signer, origin);
      if (before?.size !== made.size) {
        if (checkpointDir !== undefined) {
          await mkdir(checkpointDir, { recursive: true });
          await writeAtomically(join(checkpointDir, `${made.size}.checkpoint`), made.signed);
          await writeAtomically(join(checkpointDir, 'latest.checkpoint'), made.signed);
        }
        logger.info({ size: made.size }, 'signed a transparency checkpoint');
      }
      return made;
    });
    signing = next.catch(() => {});
    return next;
  };

  let resolveCaughtUp: () => void = () => {};
  const caughtUp = new Promise<void>((resolve) => {
    resolveCaughtUp = resolve;
  });

  let failures = 0;
  const follow = async (): Promise<void> => {
    if (stopped) return;
    let after: string | null;
    try {
      after = await log.cursor();
    } catch (error) {
      return again(error);
    }
    const running = store.subscribe({
      after,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      onEvents: async (events) => {
        await log.append(events);
        failures = 0;
      },
      onError: (error) => {
        if (subscription === running) subscription = undefined;
        void again(error);
      },
    });
    subscription = running;
    running.caughtUp.then(
      () => signNow().then(resolveCaughtUp, (error: unknown) => logger.warn({ err: error }, 'signing failed')),
      () => {},
    );
  };
  const again = async (error: unknown) => {
    if (stopped) return;
    failures += 1;
    const wait = Math.min(retryMs * 2 ** (failures - 1), 30_000);
    logger.warn(
      { err: { message: String((error as Error)?.message ?? error).split('\n')[0] }, retryInMs: wait },
      'the transparency log stopped following the store; following again',
    );
    retryTimer = setTimeout(() => void follow(), wait);
  };

  const interval = setInterval(() => {
    signNow().catch((error: unknown) => logger.warn({ err: error }, 'signing a checkpoint failed; trying again later'));
  }, intervalMs);
  interval.unref?.();
  void follow();

  return {
    caughtUp,
    checkpointNow: signNow,
    stop: async () => {
      stopped = true;
      clearInterval(interval);
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      await subscription?.stop();
      await signing;
    },
  };
};
