/**
 * Wires a running Parley from a Config: database, keys, outbound client, HTTP app. main.ts adds
 * process concerns (signals, printing); tests and benchmarks start the same runtime in-process.
 */
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import type { AppDeps } from './app-deps.ts';
import type { Config } from './config.ts';
import { lockDataDir, type DataDirLock } from './db/data-dir-lock.ts';
import { openPglite, openPostgres, type Database } from './db/database.ts';
import { openInvalidationChannel } from './db/invalidation-notify.ts';
import { createCrmGate, type CrmGateLimits } from './features/crm/index.ts';
import { pointDemoShopAtDemoCrm, startDemoShopCrm } from './features/demo/index.ts';
import { resealSecrets } from './features/sealed-secrets/index.ts';
import { bootstrapFirstStart, type FirstStartSecrets } from './features/shops/index.ts';
import { buildApp } from './http/app.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createLlmProvider } from './lib/llm/index.ts';
import { createLogger } from './lib/logger.ts';
import { createMetrics } from './lib/metrics.ts';
import { createOutboundHttp } from './lib/outbound/index.ts';
import { createSecretBox, loadOrCreateSecretKey } from './lib/secret-box.ts';
import { explainDatabaseFailure, explainDataDirFailure } from './startup-failure.ts';
import { createJobSources, type JobOptions } from './worker/catalog.ts';
import { WAKE_CHANNEL } from './db/wake.ts';
import { createHeartbeat, createWorker, type Worker, type WorkerOptions } from './worker/index.ts';
import { serverRoot } from './lib/server-root.ts';

export const version: string = (
  JSON.parse(readFileSync(join(serverRoot, 'package.json'), 'utf8')) as { version: string }
).version;

export interface Runtime {
  app: FastifyInstance;
  deps: AppDeps;
  firstStart: FirstStartSecrets | null;
  /** The in-process demo CRM's base URL, when the demo runs. */
  demoCrmUrl: string | undefined;
  logger: Logger;
  /** The background worker (webhook deliveries and probes), started with the runtime. */
  worker: Worker;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  clock?: Clock;
  logDestination?: DestinationStream;
  /** CRM calls per shop at once and queued (tests make them small); features/crm/crm-gate.ts has the defaults. */
  crmGate?: CrmGateLimits;
  /** Limits and timings of the worker, and the jitter source of its jobs (tests fix both). */
  worker?: Partial<
    Pick<WorkerOptions, 'concurrency' | 'perKeyConcurrency' | 'pollIntervalMs' | 'shutdownGraceMs'>
  > &
    JobOptions;
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
    const inDataDir = <T>(step: () => T): T => {
      try {
        return step();
      } catch (error) {
        throw explainDataDirFailure(error, config.PARLEY_DATA_DIR);
      }
    };
    if (config.DATABASE_URL === undefined) {
      lock = inDataDir(() => lockDataDir(config.PARLEY_DATA_DIR));
      cleanup.push(() => lock?.release());
      database = await openPglite(config.PARLEY_DATA_DIR, {
        sharedBuffersMb: config.PARLEY_PGLITE_SHARED_BUFFERS_MB,
      });
    } else {
      const url = config.DATABASE_URL;
      database = await openPostgres(url, {
        // An outage is logged here and answered 503 by each request (docs/operations.md); never a crash.
        onConnectionError: (error) => logger.warn({ reason: error.message }, 'database connection lost'),
        onListenerStateChange: (state, error) =>
          state === 'lost'
            ? logger.warn({ reason: error?.message }, 'database notifications interrupted; reconnecting')
            : logger.info('database notifications restored'),
        connection: { queryTimeoutMs: config.PARLEY_DATABASE_QUERY_TIMEOUT_MS },
      }).catch((error: unknown) => {
        throw explainDatabaseFailure(error, url);
      });
    }
    cleanup.push(() => database.close());

    const { key, generated } = inDataDir(() =>
      loadOrCreateSecretKey(config.PARLEY_SECRET_KEY, config.PARLEY_DATA_DIR),
    );
    if (generated && database.kind === 'postgres') {
      logger.warn(
        'Generated a secret key into the data dir. Every process sharing this PostgreSQL needs the same key: set PARLEY_SECRET_KEY to the content of secret.key.',
      );
    }
    const base = {
      config,
      db: database.db,
      secrets: createSecretBox(deriveKey(key, 'parley secrets v1')),
      clock: options.clock ?? systemClock,
      logger,
    };
    // Listening before anything is cached: a change made elsewhere from now on reaches this process.
    const invalidation = await openInvalidationChannel(database, logger);
    cleanup.push(() => invalidation.close());
    // Before anything opens a secret: values sealed by an older version are bound to their row.
    await resealSecrets(base);
    const firstStart = await bootstrapFirstStart(base);
    // Before the outbound client, which must allow the demo CRM's address, known once it listens.
    const demoCrm = await startDemoShopCrm(base);
    if (demoCrm !== undefined) cleanup.push(() => demoCrm.close());
    const outbound = createOutboundHttp({
      allow: [...config.PARLEY_ALLOW_PRIVATE_TARGETS, ...(demoCrm?.allowRules ?? [])],
    });
    cleanup.push(() => outbound.close());
    const llm = createLlmProvider({ outbound });
    cleanup.push(() => llm.close());

    const deps: AppDeps = {
      ...base,
      databaseKind: database.kind,
      localWrites: database.localWrites,
      invalidation: invalidation.channel,
      signingKey: deriveKey(key, 'parley signing v1'),
      outbound,
      llm,
      metrics: createMetrics(),
      crmGate: createCrmGate(options.crmGate),
      version,
    };
    if (demoCrm !== undefined) await pointDemoShopAtDemoCrm(deps, demoCrm);
    const app = await buildApp(deps);
    cleanup.push(() => app.close());

    const { random, ...workerLimits } = options.worker ?? {};
    const sources = createJobSources(deps, { random });
    // Shared PostgreSQL: announce this process before it claims anything (worker/heartbeat.ts).
    const heartbeat =
      database.kind === 'postgres'
        ? createHeartbeat({
            db: deps.db,
            clock: deps.clock,
            logger: logger.child({ role: 'heartbeat' }),
            sources,
            intervalMs: config.PARLEY_HEARTBEAT_INTERVAL_MS,
            staleAfterMs: config.PARLEY_HEARTBEAT_STALE_MS,
          })
        : undefined;
    if (heartbeat !== undefined) {
      await heartbeat.start();
      // Stopped after the worker (cleanup runs in reverse), marking what it left behind for release.
      cleanup.push(() => heartbeat.stop());
    }
    const worker = createWorker({
      ...workerLimits,
      sources,
      processId: heartbeat?.processId ?? null,
      clock: deps.clock,
      logger: logger.child({ role: 'worker' }),
      // The data-dir lock makes this process the only owner of an embedded store.
      ownsStore: database.kind === 'pglite',
      listen: (onWake) => database.listen(WAKE_CHANNEL, onWake),
    });
    await worker.start();
    // Stopped first (cleanup runs in reverse): runs in flight still need the database and the client.
    cleanup.push(() => worker.stop());
    return { app, deps, firstStart, demoCrmUrl: demoCrm?.url, logger, worker, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
