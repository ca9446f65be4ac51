/**
 * Wires a running Parley from a Config: database, keys, outbound client, HTTP app. main.ts adds
 * process concerns (signals, printing); tests and benchmarks start the same runtime in-process.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import type { AppDeps } from './app-deps.ts';
import type { Config } from './config.ts';
import { lockDataDir, type DataDirLock } from './db/data-dir-lock.ts';
import { openPglite, openPostgres, type Database } from './db/database.ts';
import { bootstrapFirstStart, type FirstStartSecrets } from './features/shops/index.ts';
import { buildApp } from './http/app.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createLogger } from './lib/logger.ts';
import { createMetrics } from './lib/metrics.ts';
import { createOutboundHttp } from './lib/outbound/index.ts';
import { createSecretBox, loadOrCreateSecretKey } from './lib/secret-box.ts';

export const version: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface Runtime {
  app: FastifyInstance;
  deps: AppDeps;
  firstStart: FirstStartSecrets | null;
  logger: Logger;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  clock?: Clock;
  logDestination?: DestinationStream;
}

/** Derived so that one configured key serves both purposes without reusing it raw. */
const deriveKey = (key: Buffer, purpose: string): Buffer =>
  createHmac('sha256', key).update(purpose).digest();

export async function startRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = createLogger(config.PARLEY_LOG_LEVEL, options.logDestination);
  const cleanup: Array<() => Promise<void> | void> = [];
  const closeAll = async () => {
    for (const step of cleanup.reverse()) await step();
  };
  try {
    let lock: DataDirLock | undefined;
    let database: Database;
    if (config.DATABASE_URL === undefined) {
      lock = lockDataDir(config.PARLEY_DATA_DIR);
      cleanup.push(() => lock?.release());
      database = await openPglite(config.PARLEY_DATA_DIR);
    } else {
      database = await openPostgres(config.DATABASE_URL);
    }
    cleanup.push(() => database.close());

    const { key, generated } = loadOrCreateSecretKey(config.PARLEY_SECRET_KEY, config.PARLEY_DATA_DIR);
    if (generated && database.kind === 'postgres') {
      logger.warn(
        'Generated a secret key into the data dir. Every process sharing this PostgreSQL needs the same key: set PARLEY_SECRET_KEY to the content of secret.key.',
      );
    }
    const outbound = createOutboundHttp({ allow: config.PARLEY_ALLOW_PRIVATE_TARGETS });
    cleanup.push(() => outbound.close());

    const deps: AppDeps = {
      config,
      db: database.db,
      databaseKind: database.kind,
      secrets: createSecretBox(deriveKey(key, 'parley secrets v1')),
      signingKey: deriveKey(key, 'parley signing v1'),
      outbound,
      clock: options.clock ?? systemClock,
      logger,
      metrics: createMetrics(),
      version,
    };
    const firstStart = await bootstrapFirstStart(deps);
    const app = await buildApp(deps);
    cleanup.push(() => app.close());
    return { app, deps, firstStart, logger, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
