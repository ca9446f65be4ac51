/**
 * LISTEN on PostgreSQL, for every channel of a process on one connection of its own (a pooled one
 * goes back to the pool, and with it the subscription).
 *
 * Adding a channel: `database.listen(channel, handler)` (database.ts) calls `listen` here. Each
 * handler gets the payload of every NOTIFY on its channel, once its transaction commits. Several
 * handlers may share a channel; the function `listen` resolves with removes that handler only.
 *
 * When the connection breaks (the server restarted, `pg_terminate_backend`, a failover) or stops
 * answering (a ping every `pingIntervalMs` times out: pg-connection.ts closes it), it is opened again
 * after a pause that doubles up to `maxReconnectDelayMs`, and every channel is listened to again.
 * Notifications sent meanwhile are lost, so once reconnected every handler is called once WITHOUT a
 * payload: "something may have happened". Handlers must treat that as a wake-up (the worker claims
 * what is due) or as "assume everything changed" (caches empty themselves).
 */
import pg from 'pg';
import type { ConnectionPolicy } from './pg-connection.ts';
import { guardedClientClass } from './pg-connection.ts';

export type NotifyHandler = (payload?: string) => void;

export interface PostgresListener {
  /**
   * Calls `onNotify` for each NOTIFY on `channel`. The first call connects, and rejects when the
   * database cannot be reached; later calls while the connection is being restored resolve at once
   * (the channel is listened to on reconnect). Resolves with the function that removes the handler.
   */
  listen(channel: string, onNotify: NotifyHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface ListenerOptions {
  policy: ConnectionPolicy;
  /** Logs that the connection was lost or restored (once each, not once per try). */
  onStateChange?: (state: 'lost' | 'restored', error?: Error) => void;
  firstReconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /** How often an idle connection is checked: a frozen network sends no error of its own. */
  pingIntervalMs?: number;
}

export function createPostgresListener(url: string, options: ListenerOptions): PostgresListener {
  const Client = guardedClientClass(options.policy);
  const firstDelay = options.firstReconnectDelayMs ?? 250;
  const maxDelay = options.maxReconnectDelayMs ?? 10_000;
  const pingIntervalMs = options.pingIntervalMs ?? 10_000;
  const handlers = new Map<string, Set<NotifyHandler>>();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let retry: NodeJS.Timeout | undefined;
  let ping: NodeJS.Timeout | undefined;
  let delay = firstDelay;
  /** From the loss of a connection until its replacement listens: the retries are under way. */
  let lost = false;
  let closed = false;

  const listenSql = (channel: string) => `LISTEN ${pg.escapeIdentifier(channel)}`;

  function dispatch(message: pg.Notification): void {
    for (const handler of handlers.get(message.channel) ?? []) handler(message.payload);
  }

  /** The connection `broken` is gone: forget it and connect again after a pause. */
  function reconnectLater(broken: pg.Client, error?: Error): void {
    if (client !== broken) return;
    client = undefined;
    clearInterval(ping);
    broken.end().catch(() => {});
    if (!lost) {
      lost = true;
      options.onStateChange?.('lost', error);
    }
    scheduleRetry();
  }

  function scheduleRetry(): void {
    if (closed || retry !== undefined) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(
        () => {
          delay = firstDelay;
          lost = false;
          options.onStateChange?.('restored');
          for (const set of handlers.values()) for (const handler of set) handler();
        },
        () => scheduleRetry(),
      );
    }, delay);
    retry.unref();
    delay = Math.min(delay * 2, maxDelay);
  }

  async function connect(): Promise<void> {
    const next = new Client({ connectionString: url });
    // A broken connection emits 'error' and then 'end'; either one means: start over.
    next.on('error', (error) => reconnectLater(next, error));
    next.on('end', () => reconnectLater(next));
    next.on('notification', dispatch);
    try {
      await next.connect();
      for (const channel of handlers.keys()) await next.query(listenSql(channel));
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    ping = setInterval(() => {
      // A failure ends the connection (pg-connection.ts), and 'end' reconnects.
      next.query('SELECT 1').catch(() => {});
    }, pingIntervalMs);
    ping.unref();
  }

  return {
    async listen(channel, onNotify) {
      let set = handlers.get(channel);
      const isNew = set === undefined;
      if (set === undefined) {
        set = new Set();
        handlers.set(channel, set);
      }
      set.add(onNotify);
      const remove = async () => {
        set.delete(onNotify);
        if (set.size > 0 || handlers.get(channel) !== set) return;
        handlers.delete(channel);
        await client?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
      };
      try {
        if (client === undefined && !lost) {
          // The first subscriber connects (and LISTENs to every channel known by then).
          connecting ??= connect().finally(() => {
            connecting = undefined;
          });
          await connecting;
        }
        // LISTEN twice is harmless: a channel added while the connection was being made is covered.
        if (client !== undefined && isNew) await client.query(listenSql(channel));
      } catch (error) {
        if (client === undefined && !lost) {
          // Never connected: the caller (start-up) learns the database is unreachable.
          set.delete(onNotify);
          if (set.size === 0) handlers.delete(channel);
          throw error;
        }
        // The connection broke meanwhile: the reconnect listens to the channel.
      }
      return remove;
    },

    async close() {
      closed = true;
      clearTimeout(retry);
      clearInterval(ping);
      const last = client;
      client = undefined;
      await last?.end().catch(() => {});
    },
  };
}
