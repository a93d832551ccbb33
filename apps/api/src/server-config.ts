// Server mode's configuration: where the API finds the event log, the subject keys and the read models,
// and how it serves, besides what every API shares (config.ts).
import { decodeWith } from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { type ApiConfig, decodeApiConfig } from './config.js';
import { hostName, logLevel, wholeNumberFromString } from './env.js';

export interface ApiServerConfig extends ApiConfig {
  readonly port: number;
  readonly host: string;
  readonly logLevel: t.TypeOf<typeof logLevel>;
  readonly databaseUrl: string;
  readonly eventSchema: string;
  readonly readModelSchema: string;
  readonly keySchema: string;
  /** Where the public board is, for links in answers (default: the same host). */
  readonly boardUrl: string;
}

const schemaName = t.refinement(t.string, (s) => /^[a-z_][a-z0-9_]{0,62}$/.test(s), 'a lower-case SQL identifier');

const serverEnv = t.intersection([
  t.type({ DATABASE_URL: t.refinement(t.string, (s) => /^postgres(ql)?:\/\//.test(s), 'a postgres:// URL') }),
  t.partial({
    PORT: wholeNumberFromString(0, 65_535),
    HOST: hostName,
    LOG_LEVEL: logLevel,
    EVENT_STORE_SCHEMA: schemaName,
    READ_MODEL_SCHEMA: schemaName,
    KEY_STORE_SCHEMA: schemaName,
    API_BOARD_URL: t.refinement(t.string, (s) => /^https?:\/\/[^\s]+$/.test(s), 'an http(s) URL'),
  }),
]);

export const decodeApiServerConfig = (
  source: Record<string, string | undefined>,
): E.Either<string[], ApiServerConfig> =>
  pipe(
    decodeWith(serverEnv, 'env')(source),
    E.mapLeft((error) =>
      ((error.details?.fields as { message: string }[] | undefined) ?? [error]).map((f) => f.message),
    ),
    E.chain((env) =>
      pipe(
        decodeApiConfig(source, {}),
        E.map((api) => ({
          ...api,
          port: env.PORT ?? 3100,
          host: env.HOST ?? '127.0.0.1',
          logLevel: env.LOG_LEVEL ?? 'info',
          databaseUrl: env.DATABASE_URL,
          eventSchema: env.EVENT_STORE_SCHEMA ?? 'event_store',
          readModelSchema: env.READ_MODEL_SCHEMA ?? 'read_models',
          keySchema: env.KEY_STORE_SCHEMA ?? 'personal_keys',
          boardUrl: (env.API_BOARD_URL ?? '').replace(/\/$/, ''),
        })),
      ),
    ),
  );
