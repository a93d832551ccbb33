// One error vocabulary end to end: a domain error's code picks the HTTP status (core's errorStatus), and
// every refusal answers as RFC 9457 problem details carrying the code, the rule that refused and the bad
// fields' paths. The API's own refusals (a missing token, a body that is not JSON) use the same shape
// with rules under `api.`.
import { type DomainError, type ErrorCode, errorStatus } from '@banshishi/core';
import type { Response } from 'express';

/** The API's own rules: refusals that happen before a command reaches a decider. */
export const apiRules = {
  unauthenticated: 'api.unauthenticated',
  keysUnavailable: 'api.token_keys_unavailable',
  notJson: 'api.body_not_json',
  unsupportedMediaType: 'api.unsupported_media_type',
  bodyTooLarge: 'api.body_too_large',
  bodyNotObject: 'api.body_not_object',
  unknownFields: 'api.unknown_fields',
  invalidText: 'api.invalid_text',
  notInDirectory: 'api.not_in_directory',
  pathParameter: 'api.invalid_path_parameter',
  pathBodyMismatch: 'api.path_body_mismatch',
  noRoleForCommand: 'api.no_role_for_command',
  roleNotHeld: 'api.role_not_held',
  invalidActingRole: 'api.invalid_acting_role',
  invalidIfMatch: 'api.invalid_if_match',
  invalidIdempotencyKey: 'api.invalid_idempotency_key',
  idempotencyKeyReused: 'api.idempotency_key_reused',
  occurredAtNotAllowed: 'api.occurred_at_not_allowed',
  occurredAtOutOfBounds: 'api.occurred_at_out_of_bounds',
  notFound: 'api.not_found',
  methodNotAllowed: 'api.method_not_allowed',
  tooManyRequests: 'api.too_many_requests',
  personalDataNotAllowed: 'api.personal_data_not_allowed',
  queueNotOffice: 'api.queue_not_office',
  unavailable: 'api.unavailable',
  internal: 'api.internal',
} as const;

/** Statuses outside core's codes that only the HTTP layer gives. */
type HttpOnly = 401 | 405 | 413 | 415 | 429 | 500 | 503;

export interface ApiError {
  readonly status: number;
  readonly code: ErrorCode | 'unauthenticated' | 'unsupported' | 'too_many' | 'unavailable' | 'internal';
  readonly rule: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

const titles: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

export const fromDomain = (error: DomainError): ApiError => ({
  status: errorStatus[error.code],
  code: error.code,
  rule: error.rule,
  message: error.message,
  ...(error.details === undefined ? {} : { details: error.details }),
});

export const httpError = (
  status: HttpOnly,
  code: ApiError['code'],
  rule: string,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): ApiError => ({ status, code, rule, message, ...(details === undefined ? {} : { details }) });

/** A refusal as a DomainError would make it, for the API's own checks that have a core code. */
export const apiRefusal = (
  code: ErrorCode,
  rule: string,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): ApiError => fromDomain({ code, rule, message, ...(details === undefined ? {} : { details }) });

/** The bad fields of a refusal: decoders name them as `{ path, message }`, stores as paths alone. */
const fieldsOf = (details: Readonly<Record<string, unknown>> | undefined) => {
  const fields = details?.fields;
  if (!Array.isArray(fields)) return undefined;
  return fields.map((f) =>
    typeof f === 'string'
      ? { path: f, message: `${f}: refused` }
      : { path: String((f as { path?: unknown }).path), message: String((f as { message?: unknown }).message) },
  );
};

export const problemDetailsOf = (error: ApiError, instance: string, correlationId?: string) => {
  const fields = fieldsOf(error.details);
  const actual = error.details?.actual;
  return {
    type: `urn:banshishi:rule:${error.rule}`,
    title: titles[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    instance: instance.length > 256 ? `${instance.slice(0, 253)}...` : instance,
    code: error.code,
    rule: error.rule,
    ...(fields === undefined ? {} : { fields }),
    ...(error.status === 412 ? { currentRevision: typeof actual === 'number' ? actual : null } : {}),
    ...(correlationId === undefined ? {} : { correlationId }),
  };
};

export const sendProblem = (res: Response, error: ApiError, instance: string): void => {
  const correlationId = res.getHeader('x-correlation-id');
  const body = problemDetailsOf(error, instance, typeof correlationId === 'string' ? correlationId : undefined);
  res.set('Cache-Control', 'no-store');
  res.locals.refusedBy = error.rule;
  if (error.status === 412 && typeof body.currentRevision === 'number') res.set('ETag', `"${body.currentRevision}"`);
  res.status(error.status).type('application/problem+json').send(JSON.stringify(body));
};

/** An error the API raises while handling a request, carried to the one error handler. */
export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiFailure';
  }
}

export const fail = (error: ApiError): never => {
  throw new ApiFailure(error);
};
