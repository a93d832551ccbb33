// What the board's routes are given: the read models to query, the clock figures are taken by, how fresh
// the read models are, and the settings that shape responses. Built by the composition roots (the
// embedded main job, the server-mode process, tests); nothing here opens a connection.
import type { NoteVerifier } from '@banshishi/core';
import type { EvaluationConfig, ReadModels } from '@banshishi/read-models';
import type { TransparencyLog } from '@banshishi/transparency';
import type { Logger } from 'pino';
import type { ServeConfig } from '../config.js';

export interface Freshness {
  /** Store time of the newest event every projection has applied; null before the first. */
  readonly dataAsOf: string | null;
  /** Events in the log that some projection has not applied yet; null when the log's head is unknown. */
  readonly lagEvents: number | null;
  /** Seconds of store time between the log's newest event and the oldest projection's last one. */
  readonly lagSeconds: number | null;
}

/** The transparency log as the board publishes it: its tables (read only) and the key its checkpoints verify with. */
export interface TransparencyPublication {
  readonly log: TransparencyLog;
  /** The public key; its name is the log's origin. */
  readonly verifier: NoteVerifier;
}

export interface BoardDeps {
  readonly readModels: ReadModels;
  /** "Now" for overdue marks and every figure taken as of a moment. */
  readonly clock: () => Date;
  readonly freshness: () => Promise<Freshness>;
  readonly logger: Logger;
  readonly serve: Pick<ServeConfig, 'rateLimitPerMinute' | 'trustProxy'>;
  readonly evaluation?: Partial<EvaluationConfig>;
  /** Null or absent: the transparency pages say the log is not published here. */
  readonly transparency?: TransparencyPublication | null;
  /** How long a public answer is shared (response-cache.ts); 0 renders every request. Default 1,000 ms. */
  readonly responseCacheMs?: number;
}

/** The campaign's local offset: the board reads and writes every moment in Jiaozhou (China Standard) time. */
export const localOffset = '+08:00';

/** A moment in local time with its offset, as the read-model queries take it. */
export const localMoment = (at: Date): string => {
  const shifted = new Date(at.getTime() + 8 * 3600_000);
  return `${shifted.toISOString().slice(0, 19)}${localOffset}`;
};

/**
 * The moment a request's figures are taken at: the clock's minute, as the pages show it (统计时点). Every
 * request within one minute asks the same question of the read models, so its answer can be shared.
 */
export const figuresAsOf = (deps: Pick<BoardDeps, 'clock'>): string =>
  localMoment(new Date(Math.floor(deps.clock().getTime() / 60_000) * 60_000));
