// The server-mode board's configuration: where the read models and the log are, and which proxies may
// name a client's address for the rate limit, and the transparency log's key and origin. A wrong value
// stops start-up naming the variable.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSignerKey, parseSignerKey } from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeEmbeddedConfig, decodeServerConfig } from './config.js';

const url = 'postgres://board@db.example:5432/banshishi';

const problemsOf = (decoded: E.Either<string[], unknown>) => (E.isLeft(decoded) ? decoded.left.join('\n') : '');

describe('server-mode configuration', () => {
  it('needs DATABASE_URL, and says so by name', () => {
    expect(problemsOf(decodeServerConfig({}))).toContain('env.DATABASE_URL');
    expect(problemsOf(decodeServerConfig({ DATABASE_URL: 'mysql://db/banshishi' }))).toContain('env.DATABASE_URL');
  });

  it('names a bad PORT', () => {
    const problems = problemsOf(decodeServerConfig({ DATABASE_URL: url, PORT: 'eighty' }));
    expect(problems).toContain('env.PORT');
    expect(problems).not.toContain('DATABASE_URL');
  });

  it('names a schema that is not a lower-case SQL identifier', () => {
    expect(problemsOf(decodeServerConfig({ DATABASE_URL: url, READ_MODEL_SCHEMA: 'Read-Models' }))).toContain(
      'env.READ_MODEL_SCHEMA',
    );
    expect(problemsOf(decodeServerConfig({ DATABASE_URL: url, EVENT_STORE_SCHEMA: 'x"; drop' }))).toContain(
      'env.EVENT_STORE_SCHEMA',
    );
  });

  it('serves no workbench unless WORKBENCH_API_URL is set, and says so when its other settings are stray', () => {
    expect(decodeServerConfig({ DATABASE_URL: url })).toMatchObject(E.right({ workbench: null }));
    expect(problemsOf(decodeServerConfig({ DATABASE_URL: url, WORKBENCH_CSRF_SECRET: 'x'.repeat(40) }))).toContain(
      'env.WORKBENCH_CSRF_SECRET: set without env.WORKBENCH_API_URL',
    );
  });

  it('needs the evidence folder and a CSRF secret of 32 characters or more once the workbench is served', () => {
    const apiUrl = 'https://api.example/api/v1';
    const missing = problemsOf(decodeServerConfig({ DATABASE_URL: url, WORKBENCH_API_URL: apiUrl }));
    expect(missing).toContain('env.WORKBENCH_EVIDENCE_DIR');
    expect(missing).toContain('env.WORKBENCH_CSRF_SECRET');
    const short = problemsOf(
      decodeServerConfig({
        DATABASE_URL: url,
        WORKBENCH_API_URL: apiUrl,
        WORKBENCH_EVIDENCE_DIR: '/srv/evidence',
        WORKBENCH_CSRF_SECRET: 'short',
      }),
    );
    expect(short).toContain('env.WORKBENCH_CSRF_SECRET');
    expect(problemsOf(decodeServerConfig({ DATABASE_URL: url, WORKBENCH_API_URL: 'ftp://api/' }))).toContain(
      'env.WORKBENCH_API_URL',
    );
    expect(
      decodeServerConfig({
        DATABASE_URL: url,
        WORKBENCH_API_URL: apiUrl,
        WORKBENCH_EVIDENCE_DIR: '/srv/evidence',
        WORKBENCH_CSRF_SECRET: 's'.repeat(32),
      }),
    ).toMatchObject(
      E.right({
        workbench: { apiUrl, evidenceDir: '/srv/evidence', csrfSecret: 's'.repeat(32), secureCookies: true },
      }),
    );
  });

  it("takes the projector's READ_MODELS_SCHEMA too, so one environment serves both, but not two different schemas", () => {
    expect(decodeServerConfig({ DATABASE_URL: url, READ_MODELS_SCHEMA: 'shared_rm' })).toMatchObject(
      E.right({ readModelSchema: 'shared_rm' }),
    );
    expect(
      decodeServerConfig({ DATABASE_URL: url, READ_MODELS_SCHEMA: 'shared_rm', READ_MODEL_SCHEMA: 'shared_rm' }),
    ).toMatchObject(E.right({ readModelSchema: 'shared_rm' }));
    const problems = problemsOf(
      decodeServerConfig({ DATABASE_URL: url, READ_MODELS_SCHEMA: 'a', READ_MODEL_SCHEMA: 'b' }),
    );
    expect(problems).toContain('env.READ_MODEL_SCHEMA');
    expect(problems).toContain('env.READ_MODELS_SCHEMA');
  });

  it('defaults to the usual schemas, port 3000 on the loopback and request logs on', () => {
    expect(decodeServerConfig({ DATABASE_URL: url })).toEqual(
      E.right({
        port: 3000,
        host: '127.0.0.1',
        logLevel: 'info',
        rateLimitPerMinute: 600,
        trustProxy: false,
        databaseUrl: url,
        readModelSchema: 'read_models',
        eventSchema: 'event_store',
        workbench: null,
        transparencyVerifier: null,
        transparencySchema: 'transparency',
      }),
    );
  });

  it('takes the schemas, where to listen and the rate limit from the environment', () => {
    expect(
      decodeServerConfig({
        DATABASE_URL: url,
        READ_MODEL_SCHEMA: 'board_rm',
        EVENT_STORE_SCHEMA: 'board_events',
        PORT: '8080',
        HOST: '::',
        LOG_LEVEL: 'warn',
        BOARD_RATE_LIMIT: '60',
      }),
    ).toEqual(
      E.right({
        port: 8080,
        host: '::',
        logLevel: 'warn',
        rateLimitPerMinute: 60,
        trustProxy: false,
        databaseUrl: url,
        readModelSchema: 'board_rm',
        eventSchema: 'board_events',
        workbench: null,
        transparencyVerifier: null,
        transparencySchema: 'transparency',
      }),
    );
  });
});

describe('which proxies the board trusts (BOARD_TRUST_PROXY)', () => {
  const trustOf = (value: string) => {
    const decoded = decodeServerConfig({ DATABASE_URL: url, BOARD_TRUST_PROXY: value });
    return E.isRight(decoded) ? decoded.right.trustProxy : `refused: ${decoded.left.join()}`;
  };

  it('trusts none unless told, in both modes', () => {
    expect(trustOf('')).toBe(false);
    expect(trustOf('off')).toBe(false);
    expect(decodeEmbeddedConfig({})).toMatchObject(E.right({ trustProxy: false }));
  });

  it('takes a number of hops, or the proxies by address, network or name', () => {
    expect(trustOf('1')).toBe(1);
    expect(trustOf('loopback')).toBe('loopback');
    expect(trustOf('10.0.0.0/8, 192.168.1.7,fd00::/8')).toBe('10.0.0.0/8,192.168.1.7,fd00::/8');
  });

  it('refuses to trust every proxy: any client could then name its own address and escape the rate limit', () => {
    expect(trustOf('true')).toContain('env.BOARD_TRUST_PROXY');
  });

  it('refuses what is not an address, and networks with an impossible prefix', () => {
    for (const value of ['proxy.example.org', '10.0.0.0/33', '10.0.0.1/8/1', '99'])
      expect(trustOf(value), value).toContain('env.BOARD_TRUST_PROXY');
  });
});

describe('the transparency log settings', () => {
  const signer = parseSignerKey(encodeSignerKey('banshishi.localhost/demo', new Uint8Array(32).fill(9)));
  const key = E.isRight(signer) ? signer.right.verifier.encoded : '';

  it('signs as banshishi.localhost/demo every 60 s unless told otherwise (embedded)', () => {
    expect(decodeEmbeddedConfig({})).toMatchObject(
      E.right({ transparencyOrigin: 'banshishi.localhost/demo', checkpointIntervalSeconds: 60 }),
    );
    expect(
      decodeEmbeddedConfig({ TRANSPARENCY_ORIGIN: 'jiaozhou.example/log', CHECKPOINT_INTERVAL_SECONDS: '5' }),
    ).toMatchObject(E.right({ transparencyOrigin: 'jiaozhou.example/log', checkpointIntervalSeconds: 5 }));
  });

  it('refuses an origin with a space or a +, and an interval that is not a positive whole number', () => {
    for (const origin of ['two words', 'a+b', ''])
      expect(problemsOf(decodeEmbeddedConfig({ TRANSPARENCY_ORIGIN: origin })), origin).toContain(
        'env.TRANSPARENCY_ORIGIN',
      );
    for (const seconds of ['0', '-5', 'soon'])
      expect(problemsOf(decodeEmbeddedConfig({ CHECKPOINT_INTERVAL_SECONDS: seconds })), seconds).toContain(
        'env.CHECKPOINT_INTERVAL_SECONDS',
      );
  });

  it('publishes the log in server mode with the public key given as text or as a file', async () => {
    expect(key).toMatch(/^banshishi\.localhost\/demo\+[0-9a-f]{8}\+/);
    const fromText = decodeServerConfig({ DATABASE_URL: url, TRANSPARENCY_VERIFIER_KEY: key });
    expect(E.isRight(fromText) && fromText.right.transparencyVerifier?.encoded).toBe(key);
    const dir = await mkdtemp(join(tmpdir(), 'banshishi-key-'));
    const file = join(dir, 'verifier.key');
    await writeFile(file, `${key}\n`);
    const fromFile = decodeServerConfig({ DATABASE_URL: url, TRANSPARENCY_VERIFIER_KEY: file });
    expect(E.isRight(fromFile) && fromFile.right.transparencyVerifier?.name).toBe('banshishi.localhost/demo');
  });

  it('refuses a key that is neither a key nor a readable file, naming the variable', () => {
    for (const value of ['not a key', '/no/such/file.key', `${key.slice(0, -4)}`])
      expect(problemsOf(decodeServerConfig({ DATABASE_URL: url, TRANSPARENCY_VERIFIER_KEY: value })), value).toContain(
        'env.TRANSPARENCY_VERIFIER_KEY',
      );
  });
});
