/**
 * LISTEN on PostgreSQL needs a connection of its own: a pooled one goes back to the pool, and
 * with it the subscription. When that connection breaks it is opened again after a pause; the
 * callback then runs once, since notifications sent while it was down are lost.
 */
import pg from 'pg';

const RECONNECT_DELAY_MS = 1_000;

export async function listenOnPostgres(
  url: string,
  channel: string,
  /** Gets each NOTIFY's payload; called without one after a reconnect (notifications may be lost). */
  onNotify: (payload?: string) => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const reconnectLater = () => {
    if (closed || retry !== undefined) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(() => onNotify(), reconnectLater);
    }, RECONNECT_DELAY_MS);
    retry.unref();
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: url });
    // A broken connection emits 'error' and then 'end'; either one means: start over.
    next.on('error', () => {
      next.end().catch(() => {});
      reconnectLater();
    });
    next.on('end', reconnectLater);
    next.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await next.end();
      return;
    }
    client = next;
  }

  try {
    await connect();
  } catch (error) {
    closed = true;
    clearTimeout(retry);
    throw error;
  }
  return async () => {
    closed = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}
