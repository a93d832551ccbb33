// Demo-generator histories for projection tests: a Jiaozhou-like campaign decided command by command by
// the deciders (so every history is one the rules allow), loaded into an in-memory store, with the
// manifest of every personal value that went into it.
import { type EventStore, getInMemoryEventStore, type PositionedEvent } from '@banshishi/core';
import { type DemoManifest, generateDemoEvents } from '@banshishi/demo';

export interface DemoHistory {
  readonly store: EventStore;
  readonly events: readonly PositionedEvent[];
  readonly manifest: DemoManifest;
  /** The end of the simulated campaign, as an `asOf` for queries. */
  readonly asOf: string;
}

export const demoHistory = async (seed: number, scale: number): Promise<DemoHistory> => {
  const store = getInMemoryEventStore({ clock: () => new Date('2022-01-01T00:00:00Z') });
  const source = generateDemoEvents({ seed, scale });
  for (const batch of source) {
    for (const segment of batch) await store.append(segment.streamId, segment.events, { expectedRevision: 'any' });
  }
  const manifest = source.manifest();
  const events = (await store.readAll({ limit: Number.MAX_SAFE_INTEGER })).events;
  return { store, events, manifest, asOf: `${manifest.until}T23:59:59+08:00` };
};

/** The values no public table may contain, even as part of a longer text. */
export const personalSubstrings = (manifest: DemoManifest): readonly string[] => [
  ...manifest.personal.names,
  ...manifest.personal.phones,
  ...manifest.personal.idNumbers,
  ...manifest.personal.addresses,
  ...manifest.personal.locations,
];
