import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { exportJWK, generateKeyPair, type JSONWebKeySet, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthFailureReason, createTokenVerifier, issueDevToken, type TokenVerifier } from './tokens.js';

const secret = randomBytes(32);
const verifySecret = createTokenVerifier({ keys: { kind: 'secret', secret } });
const bearer = (token: string) => `Bearer ${token}`;
const nowSec = () => Math.floor(Date.now() / 1000);
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const reasonOf = async (verify: TokenVerifier, header: string | undefined): Promise<AuthFailureReason | 'verified'> => {
  const result = await verify(header);
  return E.isLeft(result) ? result.left.reason : 'verified';
};

const signed = (claims: Record<string, unknown>, key: Uint8Array = secret) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);

describe('an HS256 token signed with the shared secret', () => {
  it('verifies to the person, the client and the token id it names', async () => {
    const token = await issueDevToken(secret, { personId: 'person-1', clientId: 'wechat-mini' });
    const result = await verifySecret(bearer(token));
    expect(E.isRight(result)).toBe(true);
    if (E.isLeft(result)) return;
    expect(result.right.personId).toBe('person-1');
    expect(result.right.clientId).toBe('wechat-mini');
    expect(result.right.tokenId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.right.expiresAt).toBeGreaterThan(nowSec() + 8 * 3600 - 10);
  });

  it('takes the client from client_id when there is no azp, and accepts the scheme in any case', async () => {
    const token = await signed({ sub: 'p', client_id: 'portal', iat: nowSec(), exp: nowSec() + 60 });
    const result = await verifySecret(`bEaReR ${token}`);
    expect(result).toEqual(E.right({ personId: 'p', clientId: 'portal', expiresAt: nowSec() + 60 }));
  });

  it('is refused once expired, beyond the clock tolerance', async () => {
    const token = await issueDevToken(secret, { personId: 'p', ttlSec: 60, now: new Date(Date.now() - 200_000) });
    expect(await reasonOf(verifySecret, bearer(token))).toBe('expired');
  });

  it('is accepted just after expiry, within the clock tolerance', async () => {
    const token = await issueDevToken(secret, { personId: 'p', ttlSec: 60, now: new Date(Date.now() - 70_000) });
    expect(await reasonOf(verifySecret, bearer(token))).toBe('verified');
  });

  it('is refused before its nbf', async () => {
    const token = await signed({ sub: 'p', iat: nowSec(), nbf: nowSec() + 600, exp: nowSec() + 1200 });
    expect(await reasonOf(verifySecret, bearer(token))).toBe('not_yet_valid');
  });

  it('is refused when signed with another secret', async () => {
    const token = await issueDevToken(randomBytes(32), { personId: 'p' });
    expect(await reasonOf(verifySecret, bearer(token))).toBe('invalid_signature');
  });

  it('is refused when its payload was altered after signing', async () => {
    const [header, , signature] = (await issueDevToken(secret, { personId: 'p' })).split('.');
    const forged = `${header}.${b64url({ sub: 'office', iat: nowSec(), exp: nowSec() + 60 })}.${signature}`;
    expect(await reasonOf(verifySecret, bearer(forged))).toBe('invalid_signature');
  });

  it('is refused without a usable sub', async () => {
    for (const sub of [undefined, '', '   ', 'a b', 'x'.repeat(129), 42, '名字'])
      expect(await reasonOf(verifySecret, bearer(await signed({ sub, iat: nowSec(), exp: nowSec() + 60 })))).toBe(
        'missing_subject',
      );
  });

  it('is refused when it lives longer than the policy allows, or never expires', async () => {
    const long = await issueDevToken(secret, { personId: 'p', ttlSec: 25 * 3600 });
    expect(await reasonOf(verifySecret, bearer(long))).toBe('lifetime_too_long');
    expect(await reasonOf(verifySecret, bearer(await signed({ sub: 'p', iat: nowSec() })))).toBe('lifetime_too_long');
    const shortPolicy = createTokenVerifier({ keys: { kind: 'secret', secret }, maxLifetimeSec: 3600 });
    expect(await reasonOf(shortPolicy, bearer(await issueDevToken(secret, { personId: 'p' })))).toBe(
      'lifetime_too_long',
    );
  });

  it('is refused when its iat lies in the future and its exp far beyond the lifetime from now', async () => {
    const iat = nowSec() + 365 * 86_400;
    expect(await reasonOf(verifySecret, bearer(await signed({ sub: 'p', iat, exp: iat + 60 })))).toBe(
      'lifetime_too_long',
    );
  });

  it('is refused from another issuer or for another audience when the policy names them', async () => {
    const verify = createTokenVerifier({ keys: { kind: 'secret', secret }, issuer: 'banshishi', audience: 'api' });
    const good = await issueDevToken(secret, { personId: 'p', issuer: 'banshishi', audience: 'api' });
    expect(await reasonOf(verify, bearer(good))).toBe('verified');
    const otherIssuer = await issueDevToken(secret, { personId: 'p', issuer: 'elsewhere', audience: 'api' });
    expect(await reasonOf(verify, bearer(otherIssuer))).toBe('wrong_issuer');
    const otherAudience = await issueDevToken(secret, { personId: 'p', issuer: 'banshishi', audience: 'board' });
    expect(await reasonOf(verify, bearer(otherAudience))).toBe('wrong_audience');
    expect(await reasonOf(verify, bearer(await issueDevToken(secret, { personId: 'p' })))).toBe('wrong_issuer');
  });
});

describe('refused algorithms', () => {
  it('an unsigned token (alg none) is refused', async () => {
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'p', iat: nowSec(), exp: nowSec() + 60 })}.`;
    expect(await reasonOf(verifySecret, bearer(unsigned))).toBe('unsupported_algorithm');
  });

  it('an HS384 token is refused by the secret verifier, which takes HS256 only', async () => {
    const token = await new SignJWT({ sub: 'p', iat: nowSec(), exp: nowSec() + 60 })
      .setProtectedHeader({ alg: 'HS384' })
      .sign(randomBytes(48));
    expect(await reasonOf(verifySecret, bearer(token))).toBe('unsupported_algorithm');
  });

  it('a secret shorter than 32 bytes is refused when the verifier is built, and when a token is issued', async () => {
    expect(() => createTokenVerifier({ keys: { kind: 'secret', secret: randomBytes(31) } })).toThrow(/32 bytes/);
    await expect(async () => issueDevToken(randomBytes(16), { personId: 'p' })).rejects.toThrow(/32 bytes/);
  });
});

const keyPairs = async () => {
  const pairs = await Promise.all(
    (['RS256', 'ES256', 'EdDSA'] as const).map(async (alg) => ({ alg, ...(await generateKeyPair(alg)) })),
  );
  const jwks: JSONWebKeySet = {
    keys: await Promise.all(
      pairs.map(async ({ alg, publicKey }) => ({
        ...(await exportJWK(publicKey)),
        alg,
        kid: `key-${alg}`,
        use: 'sig',
      })),
    ),
  };
  const sign = (alg: (typeof pairs)[number]['alg'], claims: Record<string, unknown>) => {
    const pair = pairs.find((p) => p.alg === alg)!;
    return new SignJWT(claims).setProtectedHeader({ alg, kid: `key-${alg}` }).sign(pair.privateKey);
  };
  return { jwks, sign };
};

describe('tokens checked against a key set', () => {
  let keys: Awaited<ReturnType<typeof keyPairs>>;
  let verify: TokenVerifier;
  beforeAll(async () => {
    keys = await keyPairs();
    verify = createTokenVerifier({ keys: { kind: 'jwks', jwks: keys.jwks }, issuer: 'https://sso.example' });
  });
  const claims = () => ({
    sub: 'person-7',
    azp: 'city-app',
    iss: 'https://sso.example',
    iat: nowSec(),
    exp: nowSec() + 300,
  });

  it.each(['RS256', 'ES256', 'EdDSA'] as const)('a %s token signed by a key of the set verifies', async (alg) => {
    const result = await verify(bearer(await keys.sign(alg, claims())));
    expect(E.isRight(result) && result.right).toMatchObject({ personId: 'person-7', clientId: 'city-app' });
  });

  it('a token signed by a key outside the set is refused', async () => {
    const stranger = await generateKeyPair('ES256');
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'ES256', kid: 'key-ES256' })
      .sign(stranger.privateKey);
    expect(await reasonOf(verify, bearer(token))).toBe('invalid_signature');
  });

  it('an HS256 token is refused, even signed with a public key of the set as its secret (key confusion)', async () => {
    const rsaPublic = keys.jwks.keys.find((k) => k.kty === 'RSA')!;
    const confused = await signed(claims(), new TextEncoder().encode(JSON.stringify(rsaPublic)));
    expect(await reasonOf(verify, bearer(confused))).toBe('unsupported_algorithm');
  });
});

describe('a key set fetched from the identity provider', () => {
  let keys: Awaited<ReturnType<typeof keyPairs>>;
  let server: Server;
  let url: URL;
  let fetches = 0;
  beforeAll(async () => {
    keys = await keyPairs();
    server = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keys.jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('verifies its tokens, fetching the set once for many requests', async () => {
    const verify = createTokenVerifier({ keys: { kind: 'jwks_url', url } });
    for (let i = 0; i < 3; i++) {
      const token = await keys.sign('ES256', { sub: `p${i}`, iat: nowSec(), exp: nowSec() + 60 });
      expect(await reasonOf(verify, bearer(token))).toBe('verified');
    }
    expect(fetches).toBe(1);
  });

  it('still refuses tokens no key of the set matches as such, not as an outage', async () => {
    const verify = createTokenVerifier({ keys: { kind: 'jwks_url', url } });
    const stranger = await generateKeyPair('ES256');
    const token = await new SignJWT({ sub: 'p', iat: nowSec(), exp: nowSec() + 60 })
      .setProtectedHeader({ alg: 'ES256', kid: 'unknown' })
      .sign(stranger.privateKey);
    expect(await reasonOf(verify, bearer(token))).toBe('invalid_signature');
  });

  it('answers keys_unavailable when the identity provider fails or serves no key set', async () => {
    const bodies = [
      [500, '{}'],
      [200, 'not json'],
      [200, '{"keys":"none"}'],
    ] as const;
    for (const [status, body] of bodies) {
      const broken = createServer((_req, res) => res.writeHead(status).end(body));
      await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
      const port = (broken.address() as AddressInfo).port;
      const verify = createTokenVerifier({ keys: { kind: 'jwks_url', url: new URL(`http://127.0.0.1:${port}/`) } });
      const token = await keys.sign('ES256', { sub: 'p', iat: nowSec(), exp: nowSec() + 60 });
      expect(await reasonOf(verify, bearer(token))).toBe('keys_unavailable');
      await new Promise<void>((resolve) => broken.close(() => resolve()));
    }
  });

  it('answers keys_unavailable when the identity provider cannot be reached', async () => {
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const port = (down.address() as AddressInfo).port;
    await new Promise<void>((resolve) => down.close(() => resolve()));
    const verify = createTokenVerifier({
      keys: { kind: 'jwks_url', url: new URL(`http://127.0.0.1:${port}/jwks.json`) },
    });
    const token = await keys.sign('ES256', { sub: 'p', iat: nowSec(), exp: nowSec() + 60 });
    expect(await reasonOf(verify, bearer(token))).toBe('keys_unavailable');
  });
});

describe('headers that are not a bearer token', () => {
  it.each([
    ['no header', undefined, 'missing'],
    ['an empty header', '', 'missing'],
    ['another scheme', 'Basic dXNlcjpwYXNz', 'malformed'],
    ['the scheme alone', 'Bearer', 'malformed'],
    ['the scheme and a space', 'Bearer ', 'malformed'],
    ['two parts', 'Bearer a.b', 'malformed'],
    ['four parts', 'Bearer a.b.c.d', 'malformed'],
    ['three parts of garbage', 'Bearer a.b.c', 'malformed'],
    ['a token without the scheme', 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln', 'malformed'],
    ['non-ASCII', 'Bearer 令牌.令牌.令牌', 'malformed'],
    ['a 100 KiB token', `Bearer ${'a'.repeat(50 * 1024)}.${'b'.repeat(50 * 1024)}.c`, 'malformed'],
  ] as const)('%s is refused (%s)', async (_name, header, reason) => {
    expect(await reasonOf(verifySecret, header)).toBe(reason);
  });

  it('a correctly signed token whose payload is not a JSON object is refused as malformed', async () => {
    const header = b64url({ alg: 'HS256' });
    for (const payload of [b64url([1, 2]), b64url('text'), Buffer.from('{not json').toString('base64url')]) {
      const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      expect(await reasonOf(verifySecret, bearer(`${header}.${payload}.${signature}`))).toBe('malformed');
    }
  });

  it('a token whose header is not JSON is refused as malformed before any key is tried', async () => {
    expect(await reasonOf(verifySecret, bearer(`${b64url('x')}.e30.c2ln`))).toBe('malformed');
    expect(await reasonOf(verifySecret, bearer(`${Buffer.from('{"alg":').toString('base64url')}.e30.c2ln`))).toBe(
      'malformed',
    );
  });

  it('a failure message never repeats the token', async () => {
    const token = await issueDevToken(randomBytes(32), { personId: 'someone-secret' });
    const result = await verifySecret(bearer(token));
    expect(E.isLeft(result) && result.left.message).not.toMatch(/someone-secret|eyJ/);
  });

  it('no string, however odd, throws or verifies', async () => {
    const verifyKeySet = createTokenVerifier({ keys: { kind: 'jwks', jwks: (await keyPairs()).jwks } });
    const headers = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string().map((s) => `Bearer ${s}`),
      fc
        .tuple(fc.base64String(), fc.base64String(), fc.base64String())
        .map(
          (parts) =>
            `Bearer ${parts.map((p) => p.replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '')).join('.')}`,
        ),
      fc.json().map((json) => `Bearer ${Buffer.from(json).toString('base64url')}.${b64url({ sub: 'p' })}.`),
    );
    await fc.assert(
      fc.asyncProperty(headers, async (header) => {
        for (const verify of [verifySecret, verifyKeySet]) {
          const result = await verify(header);
          expect(E.isLeft(result)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
