// Who is at the keyboard. The person's API token travels in an HttpOnly cookie (SameSite=Lax, Secure on
// HTTPS, path /workbench) or, in server mode behind the city's single sign-on, in the Authorization
// header the sign-on proxy adds; either way the API verifies it on every request (GET /me). A separate
// random session cookie keys the CSRF tokens (csrf-csrf, double submit): every form carries the token in
// a hidden field, and a post without the right one is refused before anything reaches the API.
import { createHash, randomBytes } from 'node:crypto';
import { parse as parseCookie } from 'cookie';
import { doubleCsrf } from 'csrf-csrf';
import type { NextFunction, Request, Response } from 'express';
import type { ApiClient } from './api-client.js';

export const workbenchBase = '/workbench';

const tokenCookie = 'bs_wb_token';
const sessionCookie = 'bs_wb_sid';
const csrfCookie = 'bs_wb_csrf';
const actingCookie = 'bs_wb_acting';
/** The hidden field every form carries. */
export const csrfField = '_csrf';

export interface RoleHeld {
  readonly role: string;
  readonly unitId: string;
  readonly unitName: string | null;
  readonly since: string;
}

export interface Principal {
  readonly token: string;
  readonly personId: string;
  readonly roles: readonly RoleHeld[];
  /** The role and unit the person acts in now (chosen in the header; the first held otherwise). */
  readonly acting: RoleHeld | null;
}

export interface SessionOptions {
  readonly csrfSecret: string;
  /** Cookies marked Secure: on whenever the workbench is reached over HTTPS. */
  readonly secureCookies: boolean;
}

const cookiesOf = (req: Request): Record<string, string | undefined> => parseCookie(req.headers.cookie ?? '');

const baseCookie = (options: SessionOptions) =>
  ({ httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: workbenchBase }) as const;

export const sessionTools = (options: SessionOptions) => {
  const csrf = doubleCsrf({
    getSecret: () => options.csrfSecret,
    getSessionIdentifier: (req) => cookiesOf(req)[sessionCookie] ?? '',
    cookieName: csrfCookie,
    cookieOptions: { ...baseCookie(options), sameSite: 'strict' },
    getCsrfTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      return typeof body?.[csrfField] === 'string' ? body[csrfField] : undefined;
    },
  });

  /** Gives every visitor a session id (the CSRF tokens' key) and csrf-csrf the cookies it reads. */
  const session = (req: Request, res: Response, next: NextFunction) => {
    const cookies = cookiesOf(req);
    (req as { cookies?: unknown }).cookies = cookies;
    if (cookies[sessionCookie] === undefined) {
      const sid = randomBytes(24).toString('base64url');
      res.cookie(sessionCookie, sid, baseCookie(options));
      cookies[sessionCookie] = sid;
      req.headers.cookie = `${req.headers.cookie ?? ''}${req.headers.cookie ? '; ' : ''}${sessionCookie}=${sid}`;
    }
    next();
  };

  /** The token a form carries for this session. */
  const csrfToken = (req: Request, res: Response): string => csrf.generateCsrfToken(req, res);

  /** True when a post carries this session's token. */
  const csrfValid = (req: Request): boolean => csrf.validateRequest(req);

  const signIn = (res: Response, token: string) => {
    res.cookie(tokenCookie, token, { ...baseCookie(options), maxAge: 8 * 3600_000 });
    // A new session id at sign-in: a token planted before it (login CSRF, fixation) is worthless after.
    res.cookie(sessionCookie, randomBytes(24).toString('base64url'), baseCookie(options));
    res.clearCookie(actingCookie, baseCookie(options));
  };

  const signOut = (res: Response) => {
    res.clearCookie(tokenCookie, baseCookie(options));
    res.clearCookie(actingCookie, baseCookie(options));
    res.cookie(sessionCookie, randomBytes(24).toString('base64url'), baseCookie(options));
  };

  const chooseActing = (res: Response, role: RoleHeld) =>
    res.cookie(actingCookie, `${role.role}@${role.unitId}`, baseCookie(options));

  return { session, csrfToken, csrfValid, signIn, signOut, chooseActing };
};

export type SessionTools = ReturnType<typeof sessionTools>;

/** The bearer token of the request: the sign-on proxy's header first, then the workbench's cookie. */
export const tokenOf = (req: Request): string | null => {
  const header = req.get('authorization');
  if (header !== undefined && /^Bearer [A-Za-z0-9._~+/-]+=*$/.test(header)) return header.slice(7);
  const cookie = cookiesOf(req)[tokenCookie];
  return cookie !== undefined && /^[A-Za-z0-9._-]{10,4096}$/.test(cookie) ? cookie : null;
};

const isRoleHeld = (r: unknown): r is RoleHeld =>
  typeof r === 'object' &&
  r !== null &&
  typeof (r as RoleHeld).role === 'string' &&
  typeof (r as RoleHeld).unitId === 'string';

/** A short, stable fingerprint of a token for logs and form keys: never the token itself. */
export const tokenFingerprint = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 16);

/**
 * The signed-in person, asked of the API (GET /me): null when there is no token or the API refuses it
 * (expired, revoked, not in the directory); the API's 503 is passed on as `unavailable`.
 */
export const principalOf = async (
  req: Request,
  api: ApiClient,
): Promise<{ principal: Principal | null; unavailable: boolean }> => {
  const token = tokenOf(req);
  if (token === null) return { principal: null, unavailable: false };
  const answer = await api.call(token, { method: 'GET', path: '/me', clientAddress: req.ip ?? '' });
  if (answer.status === 503 || answer.status === 429 || answer.status >= 500)
    return { principal: null, unavailable: true };
  if (answer.status !== 200) return { principal: null, unavailable: false };
  const me = answer.body as { personId?: unknown; roles?: unknown };
  if (typeof me.personId !== 'string' || !Array.isArray(me.roles)) return { principal: null, unavailable: true };
  const roles = me.roles.filter(isRoleHeld);
  const wanted = cookiesOf(req)[actingCookie];
  const acting = roles.find((r) => `${r.role}@${r.unitId}` === wanted) ?? roles[0] ?? null;
  return { principal: { token, personId: me.personId, roles, acting }, unavailable: false };
};
