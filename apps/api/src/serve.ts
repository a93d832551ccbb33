// Serving an app (the board, the API, or both in the main job) on HTTP with a clean stop: on SIGINT or
// SIGTERM the listener closes, requests in flight finish (idle keep-alive connections are closed at once),
// and then the caller's own shutdown runs.
import { createServer, type Server } from 'node:http';
import type { Express } from 'express';

export const listen = (app: Express, port: number, host: string): Promise<{ server: Server; url: string }> =>
  new Promise((resolve, reject) => {
    const server = createServer(app);
    server.keepAliveTimeout = 5_000;
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actualPort = typeof address === 'object' && address !== null ? address.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({ server, url: `http://${shownHost}:${actualPort}/` });
    });
  });

export const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5_000).unref();
  });

/** Runs `shutdown` once on the first SIGINT or SIGTERM; a second signal exits at once. */
export const onStopSignal = (shutdown: (signal: string) => Promise<void>) => {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
};

/** An error as a log line gives it: code and first line, never the object (pg's `client` holds the password). */
export const describedError = (error: unknown) => {
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  return {
    code: typeof code === 'string' ? code : null,
    message: (typeof message === 'string' ? message : String(error)).split('\n')[0]?.slice(0, 200),
  };
};
