// Configuration of the embedded main job, decoded from the environment at start: a wrong value stops
// start-up with a message naming the variable.
import { decodeWith } from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';

const positiveIntFromString = new t.Type<number, string, unknown>(
  'a positive whole number',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u > 0,
  (u, c) => {
    const n = typeof u === 'string' && /^\d+$/.test(u.trim()) ? Number(u) : Number.NaN;
    return Number.isSafeInteger(n) && n > 0
      ? t.success(n)
      : t.failure(u, c, `expected a positive whole number, got ${JSON.stringify(u)}`);
  },
  String,
);

const env = t.partial({
  PGLITE_DIR: t.string,
  BANSHISHI_DEMO_SEED: positiveIntFromString,
  BANSHISHI_DEMO_SCALE: positiveIntFromString,
});

export interface EmbeddedConfig {
  /** Folder of the embedded PGlite database (events and read models). */
  readonly dataDir: string;
  readonly demoSeed: number;
  /** Roughly how many demo events to generate on first start. */
  readonly demoScale: number;
}

export const decodeEmbeddedConfig = (source: Record<string, string | undefined>): E.Either<string[], EmbeddedConfig> =>
  pipe(
    decodeWith(env, 'env')(source),
    E.mapLeft((error) =>
      ((error.details?.fields as { message: string }[] | undefined) ?? [error]).map((f) => f.message),
    ),
    E.chain((c) =>
      c.BANSHISHI_DEMO_SCALE !== undefined && c.BANSHISHI_DEMO_SCALE < 300
        ? E.left([`env.BANSHISHI_DEMO_SCALE: the demo needs at least 300 events, got ${c.BANSHISHI_DEMO_SCALE}`])
        : E.right({
            dataDir: c.PGLITE_DIR ?? '.data/banshishi',
            demoSeed: c.BANSHISHI_DEMO_SEED ?? 2021,
            demoScale: c.BANSHISHI_DEMO_SCALE ?? 3000,
          }),
    ),
  );
