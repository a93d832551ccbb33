// The board's error vocabulary: a bad query parameter (400, naming it), an unknown resource (404), too
// many requests (429). Each route family answers in its own format: an HTML page for people, RFC 9457
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

export type BoardError = BadParameter | NotFound;

export const isBoardError = (e: unknown): e is BoardError => e instanceof BadParameter || e instanceof NotFound;

/** RFC 9457 problem details for a board error. */
export const problemDetailsOf = (e: BoardError, instance: string) =>
  e instanceof BadParameter
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
