// Decoders of the environment that every process of banshishi shares (the board, the API, the main job):
// whole numbers, log levels, host names and which proxies to trust, each refusing a wrong value with a
// message that names what was expected.
import { isIP } from 'node:net';
import * as t from 'io-ts';

export const wholeNumberFromString = (min: number, max: number) =>
  new t.Type<number, string, unknown>(
    `a whole number from ${min} to ${max}`,
    (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= min && u <= max,
    (u, c) => {
      const n = typeof u === 'string' && /^\d{1,16}$/.test(u.trim()) ? Number(u) : Number.NaN;
      return Number.isSafeInteger(n) && n >= min && n <= max
        ? t.success(n)
        : t.failure(u, c, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(u)}`);
    },
    String,
  );

export const positiveIntFromString = wholeNumberFromString(1, Number.MAX_SAFE_INTEGER);
export const logLevel = t.keyof({
  fatal: null,
  error: null,
  warn: null,
  info: null,
  debug: null,
  trace: null,
  silent: null,
});
/** Loopback, a host name or an address: no scheme, path or spaces. */
export const hostName = t.refinement(t.string, (s) => /^[A-Za-z0-9.:[\]-]{1,253}$/.test(s), 'a host name or address');

/** Express's `trust proxy`: off, a number of proxy hops, or the proxies' addresses (never "every proxy"). */
export type TrustProxy = false | number | string;

const proxyNames = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyAddress = (s: string) => {
  if (proxyNames.has(s)) return true;
  const [address, prefix, ...rest] = s.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
};

/**
 * Behind a reverse proxy every request comes from the proxy's address, so the per-client rate limit
 * would throttle all readers as one. Trusting the proxy lets the client's address come from
 * X-Forwarded-For; trusting every hop (`true`) would let any client name its own address and escape
 * the limit, so it is refused: say how many proxies there are, or which addresses they have.
 */
export const trustProxyFromString = new t.Type<TrustProxy, string, unknown>(
  'off, a number of proxy hops, or proxy addresses',
  (u): u is TrustProxy => u === false || typeof u === 'number' || typeof u === 'string',
  (u, c) => {
    const s = typeof u === 'string' ? u.trim() : '';
    if (s === '' || s === 'false' || s === 'off' || s === '0') return t.success(false);
    if (/^\d{1,2}$/.test(s) && Number(s) <= 10) return t.success(Number(s));
    const parts = s.split(',').map((p) => p.trim());
    return parts.every(isProxyAddress)
      ? t.success(parts.join(','))
      : t.failure(
          u,
          c,
          `expected off, a number of proxy hops from 1 to 10, or proxy addresses (loopback, 10.0.0.0/8, …), got ${JSON.stringify(u)}`,
        );
  },
  String,
);
