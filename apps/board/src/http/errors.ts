// The board's error vocabulary: a bad query parameter (400, naming it), an unknown resource (404), too
// many requests (429), a request the data cannot answer yet (422: a proof of an event not signed yet). Each route family answers in its own format: an HTML page for people, RFC 9457
// problem details for the board's JSON and exports, and the GeoReport v2 error list on /open311/.
export class BadParameter extends Error {
  readonly status = 400;
  constructor(
    readonly parameter: string,
    readonly reason: string,
  ) {
    super(`${parameter}: ${reason}`);
    this.name = 'BadParameter';
  }
}

export class NotFound extends Error {
  readonly status = 404;
  constructor(readonly what: string) {
    super(`not found: ${what}`);
    this.name = 'NotFound';
  }
}

/** The read models are not built yet (a board started before its projector's first build): try again soon. */
export class NotReady extends Error {
  readonly status = 503;
  constructor() {
    super('the read models are being built; try again in a few seconds');
    this.name = 'NotReady';
  }
}

/** Understood, but the data cannot answer it as it stands; `rule` is the domain rule that refused. */
export class Unprocessable extends Error {
  readonly status = 422;
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
    this.name = 'Unprocessable';
  }
}

export type BoardError = BadParameter | NotFound | NotReady | Unprocessable;

export const isBoardError = (e: unknown): e is BoardError =>
  e instanceof BadParameter || e instanceof NotFound || e instanceof NotReady || e instanceof Unprocessable;

/** Seconds a reader is asked to wait while the read models are being built. */
export const retryAfterSeconds = 5;

/**
 * A query on a view that does not exist yet (PostgreSQL's undefined_table 42P01, or its schema missing,
 * 3F000) means the projector has not made the first build live: the board is starting, not broken.
 */
export const boardErrorOf = (e: unknown): unknown => {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '42P01' || code === '3F000' ? new NotReady() : e;
};

/** RFC 9457 problem details for a board error. */
export const problemDetailsOf = (e: BoardError, instance: string) =>
  e instanceof NotReady
    ? {
        type: 'https://banshishi.example/problems/not-ready',
        title: 'Not ready',
        status: 503,
        detail: e.message,
        instance,
      }
    : e instanceof Unprocessable
      ? {
          type: 'https://banshishi.example/problems/unprocessable',
          title: 'Cannot be answered yet',
          status: 422,
          detail: e.message,
          instance,
          rule: e.rule,
        }
      : e instanceof BadParameter
        ? {
            type: 'https://banshishi.example/problems/bad-parameter',
            title: 'Bad query parameter',
            status: 400,
            detail: e.message,
            instance,
            parameter: e.parameter,
          }
        : {
            type: 'https://banshishi.example/problems/not-found',
            title: 'Not found',
            status: 404,
            detail: e.message,
            instance,
          };
