// What the PostgreSQL store does when the server closes a connection (a restart, an idle timeout,
// pg_terminate_backend): tell such a loss from every other failure, keep it from ending the process,
// and say what happened in a report that carries no data — never the raw error, whose `client` holds
// the connection parameters and whose `detail` may quote a row.
import type pg from 'pg';

/** One lost connection, as the store reports it: where it was noticed, the code, the server's words. */
export interface ConnectionErrorReport {
  /** `idle`: a pooled connection at rest; `listen`: the LISTEN session; the others: a call in flight. */
  readonly where: 'idle' | 'listen' | 'append' | 'read' | 'subscription';
  /** SQLSTATE (`57P01`, `08006`, …) or the socket's code (`ECONNRESET`, …), when there is one. */
  readonly code: string | null;
  readonly message: string;
}

export type ConnectionErrorHandler = (report: ConnectionErrorReport) => void;

const lostStates = new Set(['57P01', '57P02', '57P03']);
const lostSocketCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
const lostMessages =
  /connection terminated|terminating connection|not queryable|connection ended|server closed the connection/i;

/**
 * True when `error` says the connection went away (or could not be made), not that the statement was
 * wrong: a fresh connection may well succeed where this one failed.
 */
export const isConnectionLost = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (lostStates.has(code) || code.startsWith('08') || lostSocketCodes.has(code)))
    return true;
  return typeof message === 'string' && lostMessages.test(message);
};

/** The report for a lost connection: its code and the first line of its message, nothing else. */
export const connectionErrorReport = (where: ConnectionErrorReport['where'], error: unknown): ConnectionErrorReport => {
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  return {
    where,
    code: typeof code === 'string' ? code : null,
    message: typeof message === 'string' ? (message.split('\n')[0] ?? '').slice(0, 200) : String(error),
  };
};

/** Without a handler of the caller's, one line on stderr per lost connection. */
export const warnOnStderr: ConnectionErrorHandler = (report) => {
  process.stderr.write(
    `store-postgres: lost a connection (${report.where}${report.code === null ? '' : `, ${report.code}`}): ` +
      `${report.message}; the next query opens a fresh one\n`,
  );
};

/**
 * Makes a pool survive its connections being closed under it. A pooled connection at rest that dies
 * makes the pool emit 'error', and one checked out between two queries makes its client emit 'error';
 * with nobody listening, either ends the process. pg has already dropped such a connection from the
 * pool, so the next query gets a fresh one: all that is left to do is to say so. A failure in flight
 * also rejects its query, and is handled (and reported) where that query was made. Returns a function
 * that takes the listeners off again, for a pool the caller owns and may use further.
 */
export const guardPool = (pool: pg.Pool, onError: ConnectionErrorHandler): (() => void) => {
  const onIdleError = (error: Error) => onError(connectionErrorReport('idle', error));
  const ignore = () => {};
  const onConnect = (client: pg.PoolClient) => client.on('error', ignore);
  pool.on('error', onIdleError);
  pool.on('connect', onConnect);
  return () => {
    pool.off('error', onIdleError);
    pool.off('connect', onConnect);
  };
};

/** Pauses before each try again: the first lets the pool hear of its other dead connections. */
const retryPausesMs = [0, 50, 250];

/**
 * Runs `work` again on another connection when a try lost its own: a few times, since every pooled
 * connection may have been cut at once and the pool learns of each only as its socket is read. Only
 * for work that is safe to repeat: a read, or an append, which its event ids make idempotent (an exact
 * retry of events that did commit returns the first result). A server that stays away is the caller's
 * to wait out: the last failure is thrown.
 */
export const againIfConnectionLost = async <A>(
  where: ConnectionErrorReport['where'],
  onError: ConnectionErrorHandler,
  work: () => Promise<A>,
): Promise<A> => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const pause = retryPausesMs[attempt];
      if (pause === undefined || !isConnectionLost(error)) throw error;
      onError(connectionErrorReport(where, error));
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
};
