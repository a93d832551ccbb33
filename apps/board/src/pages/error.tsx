// The error page: what was wrong in the reader's language (the parameter named), and a way back.
import type { BoardError } from '../http/errors.js';
import { BadParameter, NotFound, NotReady, Unprocessable } from '../http/errors.js';
import type { Messages } from '../i18n/index.js';
import type { PageContext } from '../views/context.js';
import { Layout } from '../views/layout.js';

export const ErrorPage = ({ ctx, m, error }: { ctx: PageContext | null; m: Messages; error: BoardError | null }) => {
  const heading =
    error === null
      ? m.errors.internal
      : error instanceof BadParameter || error instanceof Unprocessable
        ? m.errors.heading
        : error instanceof NotReady
          ? m.errors.notReadyHeading
          : m.errors.notFoundHeading;
  const body = (
    <section>
      <h1>{heading}</h1>
      {error instanceof BadParameter && <p class="error">{m.errors.badParameter(error.parameter, error.reason)}</p>}
      {error instanceof Unprocessable && <p class="error">{error.message}</p>}
      {error instanceof NotReady && <p>{m.errors.notReady}</p>}
      {error instanceof NotFound && <p>{m.errors.notFound}</p>}
      <p>
        <a href="/">{m.errors.back}</a>
      </p>
    </section>
  );
  if (ctx === null)
    return (
      <html lang={m.lang.code}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{heading}</title>
        </head>
        <body>
          <main>{body}</main>
        </body>
      </html>
    );
  return (
    <Layout ctx={ctx} title={heading}>
      {body}
    </Layout>
  );
};
