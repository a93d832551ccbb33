// Bearer tokens for the command API: who is calling, read from a signed JWT, and nothing more — the
// person's roles and units come from the directory, never from the token. A verifier answers every
// header, however broken, with a Principal or a reason; the HTTP layer turns the reason into 401 (503
// when the identity provider's keys cannot be fetched).
import { randomUUID } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  type JSONWebKeySet,
  type JWSHeaderParameters,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  SignJWT,
} from 'jose';

export type TokenKeys =
  /** HS256 with a shared secret: the embedded mode and dev tokens. */
  | { readonly kind: 'secret'; readonly secret: Uint8Array }
  /** A key set read from a local file. */
  | { readonly kind: 'jwks'; readonly jwks: JSONWebKeySet }
  /** The key set the city's SSO publishes. */
  | { readonly kind: 'jwks_url'; readonly url: URL };

export interface TokenPolicy {
  readonly keys: TokenKeys;
  /** Checked when set. */
  readonly issuer?: string;
  /** Checked when set. */
  readonly audience?: string;
  /** Clock skew allowed on exp, nbf and iat (default 30). */
  readonly clockToleranceSec?: number;
  /** Tokens must expire, and live at most this long from issue (default 24 h). */
  readonly maxLifetimeSec?: number;
}

export interface Principal {
  /** The `sub` claim: the person in the directory. */
  readonly personId: string;
  /** The `azp` or `client_id` claim: which client application is calling. */
  readonly clientId?: string;
  /** The `jti` claim. */
  readonly tokenId?: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

export type AuthFailureReason =
  | 'missing'
  | 'malformed'
  | 'invalid_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'unsupported_algorithm'
  | 'missing_subject'
  | 'lifetime_too_long'
  | 'keys_unavailable';

/** `message` may be sent to the client: it never repeats the token or a claim's value. */
export interface AuthFailure {
  readonly reason: AuthFailureReason;
  readonly message: string;
}

export type TokenVerifier = (authorization: string | undefined) => Promise<E.Either<AuthFailure, Principal>>;

/** HS256 wants a key at least as long as its hash (RFC 7518 §3.2). */
const minSecretBytes = 32;
/** Far above any real token; a bigger header is refused before anything parses it. */
const maxHeaderLength = 8 * 1024;
/** A person's id in the directory, a client's id, a token's id. */
const identifierPattern = /^[A-Za-z0-9._:@-]{1,128}$/;
const bearerPattern = /^bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

const secretAlgorithms = ['HS256'];
// No HMAC for a key set: a public key must never be usable as an HMAC secret (key confusion).
const keySetAlgorithms = ['RS256', 'PS256', 'ES256', 'EdDSA'];

const fail = (reason: AuthFailureReason, message: string): E.Either<AuthFailure, never> => E.left({ reason, message });

const assertSecret = (secret: Uint8Array): void => {
  if (!(secret instanceof Uint8Array) || secret.length < minSecretBytes)
    throw new RangeError(`a token secret must be at least ${minSecretBytes} bytes, got ${secret?.length ?? 0}`);
};

/** Marks a failure to fetch the remote key set, as opposed to a token no key in it matches. */
class KeysUnavailableError extends Error {}

/** Errors the remote key set raises once it has keys: they are about the token, not the fetch. */
const tokenKeyErrorCodes = new Set([
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWK_INVALID',
]);

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

const remoteKeySet = (url: URL): JWTVerifyGetKey => {
  // A slow or unreachable SSO costs each request at most the timeout; after a key set was fetched, an
  // unknown `kid` refetches it at most once per cooldown, so forged kids cannot hammer the SSO.
  const keySet = createRemoteJWKSet(url, { timeoutDuration: 3000, cooldownDuration: 30_000 });
  return async (header: JWSHeaderParameters, token) => {
    try {
      return await keySet(header, token);
    } catch (error) {
      const code = codeOf(error);
      if (code !== undefined && tokenKeyErrorCodes.has(code)) throw error;
      throw new KeysUnavailableError('the key set could not be fetched', { cause: error });
    }
  };
};

const claimFailure = (claim: unknown, reason: unknown): AuthFailure => {
  if (claim === 'nbf') return { reason: 'not_yet_valid', message: 'the token is not valid yet' };
  if (claim === 'iss') return { reason: 'wrong_issuer', message: 'the token was issued by someone else' };
  if (claim === 'aud') return { reason: 'wrong_audience', message: 'the token is meant for another audience' };
  if (claim === 'sub') return { reason: 'missing_subject', message: 'the token names no person (sub)' };
  if (claim === 'exp' && reason === 'missing')
    return { reason: 'lifetime_too_long', message: 'the token must expire (exp)' };
  return { reason: 'malformed', message: 'the token has an invalid claim' };
};

/** What jose's error classes mean here, by their stable code. */
const failureOf = (error: unknown): AuthFailure => {
  if (error instanceof KeysUnavailableError)
    return { reason: 'keys_unavailable', message: 'the keys to check the token cannot be fetched now' };
  switch (codeOf(error)) {
    case 'ERR_JWT_EXPIRED':
      return { reason: 'expired', message: 'the token has expired' };
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const { claim, reason } = error as { claim?: unknown; reason?: unknown };
      return claimFailure(claim, reason);
    }
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
    case 'ERR_JWK_INVALID':
      return { reason: 'invalid_signature', message: 'the token signature does not verify' };
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return { reason: 'unsupported_algorithm', message: 'the token is signed with an algorithm not accepted here' };
    default:
      return { reason: 'malformed', message: 'the token cannot be read' };
  }
};

/** An optional string claim that, when present, must be an identifier. */
const optionalIdentifier = (value: unknown): E.Either<null, string | undefined> =>
  value === undefined
    ? E.right(undefined)
    : typeof value === 'string' && identifierPattern.test(value)
      ? E.right(value)
      : E.left(null);

const principalOf = (payload: JWTPayload, maxLifetimeSec: number, nowSec: number): E.Either<AuthFailure, Principal> => {
  const { sub, exp, iat } = payload;
  if (typeof sub !== 'string' || !identifierPattern.test(sub))
    return fail('missing_subject', 'the token names no person (sub), or not as a directory id');
  if (typeof exp !== 'number') return fail('lifetime_too_long', 'the token must expire (exp)');
  // Counted from issue, or from now when iat is missing or in the future (a token "issued" next year
  // with a short lifetime would otherwise be valid from now until then).
  if (exp - Math.min(typeof iat === 'number' ? iat : nowSec, nowSec) > maxLifetimeSec)
    return fail('lifetime_too_long', `the token lives longer than ${maxLifetimeSec} seconds`);
  const clientId = optionalIdentifier(payload.azp ?? payload.client_id);
  const tokenId = optionalIdentifier(payload.jti);
  if (E.isLeft(clientId) || E.isLeft(tokenId))
    return fail('malformed', 'the token has an invalid azp, client_id or jti');
  return E.right({
    personId: sub,
    ...(clientId.right === undefined ? {} : { clientId: clientId.right }),
    ...(tokenId.right === undefined ? {} : { tokenId: tokenId.right }),
    expiresAt: exp,
  });
};

const verificationKey = (
  keys: TokenKeys,
): { readonly algorithms: readonly string[]; readonly key: JWTVerifyGetKey } => {
  switch (keys.kind) {
    case 'secret': {
      assertSecret(keys.secret);
      // A copy: a caller reusing its buffer cannot change the key under a running verifier.
      const secret = Uint8Array.from(keys.secret);
      return { algorithms: secretAlgorithms, key: () => secret };
    }
    case 'jwks':
      return { algorithms: keySetAlgorithms, key: createLocalJWKSet(keys.jwks) };
    case 'jwks_url':
      return { algorithms: keySetAlgorithms, key: remoteKeySet(keys.url) };
  }
};

/** Throws only for a policy that cannot work (a short secret, an unusable key set): a start-up error. */
export const createTokenVerifier = (policy: TokenPolicy): TokenVerifier => {
  const clockToleranceSec = policy.clockToleranceSec ?? 30;
  const maxLifetimeSec = policy.maxLifetimeSec ?? 24 * 3600;
  const { algorithms, key } = verificationKey(policy.keys);
  const options = {
    algorithms: [...algorithms],
    clockTolerance: clockToleranceSec,
    requiredClaims: ['exp'],
    ...(policy.issuer === undefined ? {} : { issuer: policy.issuer }),
    ...(policy.audience === undefined ? {} : { audience: policy.audience }),
  };

  return async (authorization) => {
    if (authorization === undefined || authorization === '')
      return fail('missing', 'an Authorization: Bearer token is required');
    if (typeof authorization !== 'string' || authorization.length > maxHeaderLength)
      return fail('malformed', 'the Authorization header is not a bearer token');
    const token = bearerPattern.exec(authorization)?.[1];
    if (token === undefined) return fail('malformed', 'the Authorization header is not a bearer token');
    try {
      // Checked before any key is looked up, so `none` or HS256 against a key set is refused as such.
      const { alg } = decodeProtectedHeader(token);
      if (typeof alg !== 'string' || !algorithms.includes(alg))
        return fail('unsupported_algorithm', 'the token is signed with an algorithm not accepted here');
      const { payload } = await jwtVerify(token, key, options);
      return principalOf(payload, maxLifetimeSec, Math.floor(Date.now() / 1000));
    } catch (error) {
      return E.left(failureOf(error));
    }
  };
};

export interface DevTokenClaims {
  readonly personId: string;
  readonly clientId?: string;
  /** Default 8 hours. */
  readonly ttlSec?: number;
  readonly issuer?: string;
  readonly audience?: string;
  /** When it is issued (default now). */
  readonly now?: Date;
}

/** An HS256 token for a person, as the embedded mode's verifier accepts it. */
export const issueDevToken = (secret: Uint8Array, claims: DevTokenClaims): Promise<string> => {
  assertSecret(secret);
  if (!identifierPattern.test(claims.personId))
    throw new RangeError(`a person id is 1 to 128 of A-Z a-z 0-9 . _ : @ -, got ${JSON.stringify(claims.personId)}`);
  if (claims.clientId !== undefined && !identifierPattern.test(claims.clientId))
    throw new RangeError(`a client id is 1 to 128 of A-Z a-z 0-9 . _ : @ -, got ${JSON.stringify(claims.clientId)}`);
  const ttlSec = claims.ttlSec ?? 8 * 3600;
  if (!(Number.isFinite(ttlSec) && ttlSec > 0)) throw new RangeError(`ttlSec must be positive, got ${ttlSec}`);
  const issuedAt = Math.floor((claims.now ?? new Date()).getTime() / 1000);
  let jwt = new SignJWT(claims.clientId === undefined ? {} : { azp: claims.clientId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.personId)
    .setJti(randomUUID())
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + Math.round(ttlSec));
  if (claims.issuer !== undefined) jwt = jwt.setIssuer(claims.issuer);
  if (claims.audience !== undefined) jwt = jwt.setAudience(claims.audience);
  return jwt.sign(secret);
};
