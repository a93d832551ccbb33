// The board's freshness note, from the live builds' positions and the log's head: read at most once a
// second, so a busy board costs the database two small queries a second for it, not two per request.
import { liveBuildStates, type ReadModels } from '@banshishi/read-models';
import type { Freshness } from './deps.js';

/** The log's newest event; null for an empty log, undefined when the log cannot be read just now. */
export type LogHeadReader = () => Promise<
  { readonly position: number; readonly recordedAt: string } | null | undefined
>;

export const freshnessReader = (rm: ReadModels, head: LogHeadReader | null, ttlMs = 1_000) => {
  let cached: { at: number; value: Promise<Freshness> } | undefined;
  const read = async (): Promise<Freshness> => {
    const [builds, logHead] = await Promise.all([liveBuildStates(rm), head === null ? null : head()]);
    const newest = builds.reduce<(typeof builds)[number] | undefined>(
      (best, b) => (best === undefined || b.position > best.position ? b : best),
      undefined,
    );
    const dataAsOf = newest?.lastRecordedAt ?? null;
    if (head === null || logHead === undefined) return { dataAsOf, lagEvents: null, lagSeconds: null };
    if (logHead === null) return { dataAsOf, lagEvents: 0, lagSeconds: 0 };
    const lagEvents = Math.max(0, logHead.position - (newest?.position ?? 0));
    const lagSeconds =
      lagEvents === 0 || dataAsOf === null
        ? 0
        : Math.max(0, (Date.parse(logHead.recordedAt) - Date.parse(dataAsOf)) / 1000);
    return { dataAsOf, lagEvents, lagSeconds };
  };
  return (): Promise<Freshness> => {
    const now = Date.now();
    if (cached === undefined || now - cached.at > ttlMs) {
      const value = read();
      cached = { at: now, value };
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };
};
