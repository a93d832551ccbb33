// What a demo run is asked for — seed, scale, campaign period, the day the clock stops — and the defaults
// that fill in the rest, checked once before anything is planned.
import { addDays } from './clock.js';

export interface DemoOptions {
  /** Same seed, same history, event for event (default 1). */
  readonly seed?: number;
  /** Roughly how many events to generate (default 2,000: the embedded demo). */
  readonly scale?: number;
  /** The campaign period, both days inclusive (default 2021-03-01 … 2021-12-31, after seed 002). */
  readonly period?: { readonly from: string; readonly to: string };
  /** The day the simulated clock stops (default the period's last day). */
  readonly until?: string;
}

export interface ResolvedDemoOptions {
  readonly seed: number;
  readonly scale: number;
  readonly period: { readonly from: string; readonly to: string };
  readonly until: string;
}

export const resolveDemoOptions = (options: DemoOptions = {}): ResolvedDemoOptions => {
  const period = options.period ?? { from: '2021-03-01', to: '2021-12-31' };
  const resolved = {
    seed: options.seed ?? 1,
    scale: Math.round(options.scale ?? 2000),
    period,
    until: options.until ?? period.to,
  };
  if (!Number.isSafeInteger(resolved.seed)) throw new RangeError(`seed must be a whole number, got ${resolved.seed}`);
  if (!(resolved.scale >= 300)) throw new RangeError(`scale must be at least 300 events, got ${resolved.scale}`);
  if (!(period.from < period.to))
    throw new RangeError(`period must end after it starts: ${period.from} → ${period.to}`);
  if (!(resolved.until > addDays(period.from, 30)))
    throw new RangeError(`until (${resolved.until}) must leave at least a month of campaign after ${period.from}`);
  return resolved;
};
