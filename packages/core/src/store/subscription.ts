// The catch-up-then-live loop shared by adapters: read batches from a checkpoint until the end, then
// wait for a wake-up (an append in-process, LISTEN/NOTIFY, a poll timer) and read again.
import type { ReadAllBatch, ReadAllOptions, SubscribeOptions, Subscription } from './port.js';

export interface SubscriptionDriver {
  readonly readAll: (options: ReadAllOptions) => Promise<ReadAllBatch>;
  readonly options: SubscribeOptions;
  /** Resolves when new events may be visible, or when `stopping` fires. */
  readonly waitForAppend: (stopping: StopSignal) => Promise<void>;
}

/** A minimal stop signal, so core needs no DOM or Node types (it embeds in mini-programs too). */
export interface StopSignal {
  readonly stopped: boolean;
  /** Calls `listener` once on stop; returns a function that forgets it (call it when the wait ends). */
  onStop(listener: () => void): () => void;
}

const stopSignal = () => {
  const listeners = new Set<() => void>();
  const signal = {
    stopped: false,
    onStop(listener: () => void) {
      if (signal.stopped) listener();
      else listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
  const stop = () => {
    if (signal.stopped) return;
    signal.stopped = true;
    const pending = [...listeners];
    listeners.clear();
    for (const l of pending) l();
  };
  return { signal, stop };
};

export const runSubscription = ({ readAll, options, waitForAppend }: SubscriptionDriver): Subscription => {
  const abort = stopSignal();
  let markCaughtUp: () => void = () => {};
  let failCaughtUp: (e: unknown) => void = () => {};
  const caughtUp = new Promise<void>((resolve, reject) => {
    markCaughtUp = resolve;
    failCaughtUp = reject;
  });
  // Callers that never await `caughtUp` must not see an unhandled rejection.
  caughtUp.catch(() => {});

  const loop = async () => {
    let checkpoint = options.after ?? null;
    let reportedCaughtUp = false;
    while (!abort.signal.stopped) {
      const batch = await readAll({
        after: checkpoint,
        limit: options.batchSize ?? 500,
        ...(options.categories === undefined ? {} : { categories: options.categories }),
      });
      if (abort.signal.stopped) return;
      if (batch.events.length > 0 && batch.checkpoint !== null) {
        await options.onEvents(batch.events, batch.checkpoint);
      }
      checkpoint = batch.checkpoint;
      if (batch.isEnd) {
        if (!reportedCaughtUp) {
          reportedCaughtUp = true;
          markCaughtUp();
        }
        await waitForAppend(abort.signal);
      }
    }
  };

  const running = loop().catch((error: unknown) => {
    failCaughtUp(error);
    if (!abort.signal.stopped) options.onError?.(error);
  });

  return {
    caughtUp,
    async stop() {
      abort.stop();
      await running;
    },
  };
};
