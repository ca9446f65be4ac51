/** Composition root: `npm start`. Parses the config, starts the runtime, prints the first-start banner. */
import { ConfigError, loadConfig, type Config } from './config.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { renderFirstStartBanner } from './features/shops/index.ts';
import { holdingEventLoop } from './lib/hold-event-loop.ts';
import { startRuntime, type Runtime } from './runtime.ts';
import { explainListenFailure, StartupFailure } from './startup-failure.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const startedAt = performance.now();
  const { runtime, address } = await holdingEventLoop(() => startAndListen(config));
  const { logger } = runtime;
  const baseUrl =
    config.PARLEY_PUBLIC_URL ??
    `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${config.PORT}`;
  logger.info(
    {
      address,
      database: runtime.deps.databaseKind,
      version: runtime.deps.version,
      startup_ms: Math.round(performance.now() - startedAt),
    },
    'Parley is listening',
  );
  if (runtime.firstStart !== null) process.stdout.write(renderFirstStartBanner(runtime.firstStart, baseUrl));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    // A stuck request must not keep the process alive forever.
    const force = setTimeout(() => {
      logger.error('shutdown took over 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    runtime
      .close()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function startAndListen(config: Config): Promise<{ runtime: Runtime; address: string }> {
  let runtime;
  try {
    runtime = await startRuntime(config);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(75); // EX_TEMPFAIL
    }
    throw error;
  }
  try {
    return { runtime, address: await runtime.app.listen({ port: config.PORT, host: config.HOST }) };
  } catch (error) {
    await runtime.close();
    throw explainListenFailure(error, config.HOST, config.PORT);
  }
}

main().catch((error: unknown) => {
  // One line naming the setting and the fix; a stack only for what nobody anticipated.
  if (error instanceof StartupFailure) {
    process.stderr.write(`Parley failed to start: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(
    `Parley failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
