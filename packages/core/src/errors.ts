// The one error vocabulary of banshishi. Deciders return these as data (Either.left); stores and
// infrastructure throw them wrapped in BanshishiError. Each code maps to one HTTP status, so the HTTP
// layer never inspects messages.

export const errorStatus = {
  validation: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** The caller's precondition (an HTTP If-Match: the revision they last saw) no longer holds. */
  precondition_failed: 412,
  invalid_state: 422,
  integrity: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface DomainError {
  readonly code: ErrorCode;
  /** Stable machine name of the rule that refused, e.g. `problem.claim.not_secretary_of_unit`. */
  readonly rule: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

const make =
  (code: ErrorCode) =>
  (rule: string, message: string, details?: Readonly<Record<string, unknown>>): DomainError =>
    details === undefined ? { code, rule, message } : { code, rule, message, details };

export const validationError = make('validation');
export const forbidden = make('forbidden');
export const notFound = make('not_found');
export const conflict = make('conflict');
export const preconditionFailed = make('precondition_failed');
export const invalidState = make('invalid_state');
export const integrityError = make('integrity');

export const statusOf = (error: DomainError): number => errorStatus[error.code];

/** Thrown form of a DomainError, for ports whose contract is a Promise (stores, subscriptions). */
export class BanshishiError extends Error {
  readonly code: ErrorCode;
  readonly rule: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(readonly error: DomainError) {
    super(error.message);
    this.name = 'BanshishiError';
    this.code = error.code;
    this.rule = error.rule;
    this.details = error.details;
  }
}

export const isBanshishiError = (e: unknown): e is BanshishiError => e instanceof BanshishiError;

/** The rule names stores use for append refusals, shared by every adapter. */
export const storeRules = {
  wrongExpectedRevision: 'store.wrong_expected_revision',
  /** The caller's own expected revision (`CommandOptions.expectedRevision`) is stale: `precondition_failed`. */
  staleExpectedRevision: 'command.stale_expected_revision',
  duplicateEvent: 'store.duplicate_event',
  undecodableEvent: 'store.undecodable_event',
  // Refusals of bad input (append-validation.ts): `validation`, with the offending field in `details.fields`.
  invalidStreamId: 'store.invalid_stream_id',
  invalidExpectedRevision: 'store.invalid_expected_revision',
  invalidEvent: 'store.invalid_event',
  invalidEventId: 'store.invalid_event_id',
  invalidEventType: 'store.invalid_event_type',
  invalidSchemaVersion: 'store.invalid_schema_version',
  invalidOccurredAt: 'store.invalid_occurred_at',
  invalidActor: 'store.invalid_actor',
  invalidData: 'store.invalid_data',
  invalidText: 'store.invalid_text',
  eventTooLarge: 'store.event_too_large',
  invalidReadOption: 'store.invalid_read_option',
} as const;

export const wrongExpectedRevision = (streamId: string, expected: unknown, actual: number | 'no_stream') =>
  new BanshishiError(
    conflict(
      storeRules.wrongExpectedRevision,
      `stream ${streamId}: expected revision ${String(expected)}, but the stream is at ${String(actual)}`,
      { streamId, expected: String(expected), actual: String(actual) },
    ),
  );

export const duplicateEvent = (streamId: string, eventId: string) =>
  new BanshishiError(
    conflict(storeRules.duplicateEvent, `event ${eventId} is already stored (stream ${streamId})`, {
      streamId,
      eventId,
    }),
  );
