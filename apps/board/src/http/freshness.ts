// The board's freshness note, from the live builds' positions and the log's head: read at most once a
// second, so a busy board costs the database two small queries a second for it, not two per request.
import { freshnessOf, type LogHead, type ReadModels } from '@banshishi/read-models';
import { cachedFor } from './cached.js';
import type { Freshness } from './deps.js';

/** The log's newest event; null for an empty log, undefined when the log cannot be read just now. */
export type LogHeadReader = () => Promise<LogHead>;

export const freshnessReader = (rm: ReadModels, head: LogHeadReader | null, ttlMs = 1_000) =>
  cachedFor(ttlMs, (): Promise<Freshness> => freshnessOf(rm, head));
