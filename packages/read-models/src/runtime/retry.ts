// Which failures are worth waiting out (the database restarting, a dropped connection, a deadlock) and
// which are not (an event that no longer decodes, a bug in a projection): the first are retried with
// growing pauses, the second stop the projector so that a person looks at them.
import { isBanshishiError } from '@banshishi/core';

/** SQLSTATE classes that describe the moment, not the data: connection, rollback, resources, operator. */
const transientClasses = new Set(['08', '40', '53', '55', '57', '58']);
const transientNodeCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);
const transientMessages =
  /connection terminated|connection timeout|timeout exceeded when trying to connect|client has encountered a connection error|terminating connection/i;

export const isTransient = (error: unknown): boolean => {
  if (isBanshishiError(error)) return false;
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (transientNodeCodes.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return transientClasses.has(code.slice(0, 2));
  }
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && transientMessages.test(message)) return true;
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isTransient(cause);
};

export interface RetryPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Attempts in a row before giving up even on transient errors; Infinity waits forever. */
  readonly maxAttempts: number;
  readonly isRetryable: (error: unknown) => boolean;
}

export const defaultRetryPolicy: RetryPolicy = {
  initialDelayMs: 200,
  maxDelayMs: 30_000,
  maxAttempts: Number.POSITIVE_INFINITY,
  isRetryable: isTransient,
};

/** Exponential back-off with full jitter, so restarted projectors do not hammer the database in step. */
export const backoffDelay = (policy: RetryPolicy, attempt: number, random: () => number = Math.random): number =>
  Math.round(random() * Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt, 30)));

/** Thrown out of a retry loop when the caller stopped while it was waiting. */
export class StoppedError extends Error {
  constructor() {
    super('stopped');
    this.name = 'StoppedError';
  }
}

export interface Stopper {
  readonly stopped: boolean;
  /** Resolves after `ms`, or early when stopped. */
  sleep(ms: number): Promise<void>;
  stop(): void;
  /** Resolves when stopped. */
  readonly whenStopped: Promise<void>;
}

export const stopper = (): Stopper => {
  let stop: () => void = () => {};
  const whenStopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const self = {
    stopped: false,
    whenStopped,
    stop() {
      self.stopped = true;
      stop();
    },
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        whenStopped.then(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
  return self;
};

export const withRetry = async <A>(
  policy: RetryPolicy,
  stop: Stopper,
  run: () => Promise<A>,
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void,
): Promise<A> => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!policy.isRetryable(error) || attempt + 1 >= policy.maxAttempts) throw error;
      if (stop.stopped) throw new StoppedError();
      const delay = backoffDelay(policy, attempt);
      onRetry?.(error, attempt + 1, delay);
      await stop.sleep(delay);
      if (stop.stopped) throw new StoppedError();
    }
  }
};
