/**
 * How every `pg` connection Parley opens (the pool's, the LISTEN connection) behaves when the
 * database goes away, so that an outage is an outage and never a crash (docs/operations.md):
 *
 * - A connection always has an 'error' listener. pg-pool listens only while a client is idle: a
 *   client checked out for a transaction whose server process is terminated (`pg_terminate_backend`,
 *   a failover) would otherwise emit an unhandled 'error' and take the process down. The queries
 *   in flight fail on their own (their callers see the error); the listener only reports it.
 * - A statement that gets no answer within `queryTimeoutMs` destroys its connection. A database that
 *   stops answering (a frozen network, a paused VM) leaves the socket open with no error, for as
 *   long as TCP keeps trying (many minutes): the queries on it would hang, and a pooled client would
 *   go back to the pool still waiting. Destroying it fails every query on it at once and makes the
 *   pool drop it (a client that is not queryable is never reused).
 * - Connecting gives up after `connectTimeoutMs`, for the same reason.
 * - A pooled client whose connection breaks while checked out goes back to the pool at once (which
 *   drops it). drizzle's `transaction` sends BEGIN before its try/finally: a connection terminated
 *   right then would never be released, and ten of those leave a pool with no client to give.
 */
import pg from 'pg';
import { DatabaseNotAnsweringError } from './not-answering.ts';

export interface ConnectionPolicy {
  /** The longest a statement may go unanswered before its connection is taken for dead (Infinity: no limit). */
  queryTimeoutMs: number;
  /** The longest a new connection may take. */
  connectTimeoutMs: number;
  /** A connection failed (terminated by the server, reset, timed out); its queries fail separately. */
  onConnectionError: (error: Error) => void;
}

/**
 * Long enough for any statement Parley runs (the longest are batch writes and claims, well under a
 * second; lock waits are short), short enough that a request in flight during an outage gets its 503
 * while its client still waits.
 */
export const DEFAULT_CONNECTION_POLICY: Omit<ConnectionPolicy, 'onConnectionError'> = {
  queryTimeoutMs: 15_000,
  connectTimeoutMs: 5_000,
};

/** A `pg.Client` class (for `pg.Pool`'s `Client` option, or `new`) that follows `policy`. */
export function guardedClientClass(policy: ConnectionPolicy): typeof pg.Client {
  return class GuardedClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(
        typeof config === 'string'
          ? { connectionString: config, connectionTimeoutMillis: policy.connectTimeoutMs }
          : { connectionTimeoutMillis: policy.connectTimeoutMs, ...config },
      );
      this.on('error', policy.onConnectionError);
      const query = this.query.bind(this) as (...args: unknown[]) => unknown;
      this.query = ((...args: unknown[]) => this.#watched(query, args)) as pg.Client['query'];
    }

    /** Runs `query(...args)` under the watchdog; its result (callback or promise) is unchanged. */
    #watched(query: (...args: unknown[]) => unknown, args: unknown[]): unknown {
      const first = args[0] as { submit?: unknown } | undefined;
      // Submittables (cursors, streams) read at their own pace; Parley uses none, so they go unwatched.
      if (typeof first?.submit === 'function' || !Number.isFinite(policy.queryTimeoutMs))
        return query(...args);
      const timer = setTimeout(() => {
        this.connection.stream.destroy(new DatabaseNotAnsweringError(policy.queryTimeoutMs));
      }, policy.queryTimeoutMs);
      timer.unref();
      const done = () => clearTimeout(timer);
      const last = args.at(-1);
      if (typeof last === 'function') {
        const callback = last as (...results: unknown[]) => void;
        return query(...args.slice(0, -1), (...results: unknown[]) => {
          done();
          callback(...results);
        });
      }
      try {
        const result = query(...args);
        if (result instanceof Promise) result.then(done, done);
        else done();
        return result;
      } catch (error) {
        done();
        throw error;
      }
    }
  };
}

type ConnectCallback = (
  error: Error | undefined,
  client: pg.PoolClient | undefined,
  done: (release?: unknown) => void,
) => void;

/**
 * A `pg.Pool` whose checked-out clients are released as soon as their connection breaks, whoever
 * holds them; the holder's own release afterwards does nothing (pg-pool would throw on a second one).
 */
export class ResilientPool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    if (callback === undefined) return super.connect().then(releaseWhenBroken);
    super.connect(((error: Error | undefined, client: pg.PoolClient | undefined) => {
      const guarded = client === undefined ? undefined : releaseWhenBroken(client);
      callback(error, guarded, (release?: unknown) => guarded?.release(release as Error | undefined));
    }) as never);
  }
}

function releaseWhenBroken(client: pg.PoolClient): pg.PoolClient {
  const release = client.release;
  let released = false;
  const releaseOnce = (error?: Error | boolean) => {
    if (released) return;
    released = true;
    client.removeListener('error', onBreak);
    release(error);
  };
  const onBreak = (error: Error) => releaseOnce(error);
  client.on('error', onBreak);
  client.release = releaseOnce;
  return client;
}
