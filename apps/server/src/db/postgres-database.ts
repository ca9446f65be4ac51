/**
 * Opening a shared PostgreSQL (DATABASE_URL): migrations under an advisory lock, the resilient pool
 * (pg-connection.ts) and the one LISTEN connection (postgres-listener.ts). database.ts loads this
 * module only when it is asked for PostgreSQL.
 */
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrationsFolder, type Database, type Db } from './database.ts';
import {
  DEFAULT_CONNECTION_POLICY,
  guardedClientClass,
  ResilientPool,
  type ConnectionPolicy,
} from './pg-connection.ts';
import { createPostgresListener, type ListenerOptions } from './postgres-listener.ts';
import * as schema from './schema.ts';

/** Advisory lock key so that processes starting together on one PostgreSQL migrate one at a time. */
const MIGRATION_LOCK_KEY = 7_201_511;

export interface PostgresOptions {
  poolSize?: number;
  /** Reports a connection that failed (logged by the runtime); the queries on it fail on their own. */
  onConnectionError?: (error: Error) => void;
  /** Reports the LISTEN connection lost, then restored. */
  onListenerStateChange?: ListenerOptions['onStateChange'];
  /** Timings of connections (pg-connection.ts); tests shorten them. */
  connection?: Partial<Omit<ConnectionPolicy, 'onConnectionError'>>;
  listener?: Pick<ListenerOptions, 'firstReconnectDelayMs' | 'maxReconnectDelayMs' | 'pingIntervalMs'>;
}

export async function openPostgresDatabase(url: string, options: PostgresOptions = {}): Promise<Database> {
  const policy: ConnectionPolicy = {
    ...DEFAULT_CONNECTION_POLICY,
    ...options.connection,
    onConnectionError: options.onConnectionError ?? (() => {}),
  };
  await migratePostgres(url, policy);
  const pool = new ResilientPool({
    connectionString: url,
    max: options.poolSize ?? 10,
    Client: guardedClientClass(policy),
    // Also how long a query waits for a free client: past it, the caller gets DATABASE_UNAVAILABLE.
    connectionTimeoutMillis: policy.connectTimeoutMs,
    keepAlive: true,
  });
  // An idle client losing its server is reported by the client itself (pg-connection.ts); the pool drops it.
  pool.on('error', () => {});
  const listener = createPostgresListener(url, {
    policy,
    onStateChange: options.onListenerStateChange,
    ...options.listener,
  });
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    listen: (channel, onNotify) => listener.listen(channel, onNotify),
    close: async () => {
      await listener.close();
      await pool.end();
    },
  };
}

async function migratePostgres(url: string, policy: ConnectionPolicy): Promise<void> {
  // No statement timeout: waiting for another process's migration, or building an index, may be long.
  const Client = guardedClientClass({ ...policy, queryTimeoutMs: Infinity });
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migratePg(drizzlePg({ client }), { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end().catch(() => {});
  }
}
