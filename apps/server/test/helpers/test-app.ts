/**
 * A complete Parley for one test file: its own database, a random secret key, an outbound client
 * allowed to reach loopback only, a manual clock and silent logs. Real collaborators throughout.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../src/app-deps.ts';
import { loadConfig } from '../../src/config.ts';
import { createCrmGate, type CrmGateLimits } from '../../src/features/crm/index.ts';
import { createShop } from '../../src/features/shops/index.ts';
import { buildApp } from '../../src/http/app.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import { createInvalidationChannel } from '../../src/lib/invalidation.ts';
import { createLlmProvider } from '../../src/lib/llm/index.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createMetrics } from '../../src/lib/metrics.ts';
import { createOutboundHttp } from '../../src/lib/outbound/index.ts';
import { createSecretBox } from '../../src/lib/secret-box.ts';
import { hashToken } from '../../src/lib/tokens.ts';
import { serverMeta } from '../../src/db/schema.ts';
import { openTestDatabase } from './test-database.ts';

export const TEST_ADMIN_TOKEN = 'pk_admin_test-admin-token-0123456789abcdef';

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  clock: ReturnType<typeof createManualClock>;
  /** A new shop and its token. */
  createShop(name?: string): Promise<{ shopId: string; token: string }>;
  close(): Promise<void>;
}

/** `crmGate`: the per-shop CRM limits, small where a test fills them (features/crm/crm-gate.ts). */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { crmGate?: CrmGateLimits } = {},
): Promise<TestApp> {
  const config = loadConfig({
    PARLEY_ALLOW_PRIVATE_TARGETS: '127.0.0.1,::1',
    PARLEY_LOG_LEVEL: 'silent',
    PARLEY_DISABLE_DEMO: 'true',
    ...env,
  });
  const database = await openTestDatabase();
  const clock = createManualClock(new Date('2026-03-02T10:00:00Z'));
  const outbound = createOutboundHttp({ allow: config.PARLEY_ALLOW_PRIVATE_TARGETS });
  const llm = createLlmProvider({ outbound });
  const deps: AppDeps = {
    config,
    db: database.db,
    databaseKind: database.kind,
    localWrites: database.localWrites,
    secrets: createSecretBox(randomBytes(32)),
    signingKey: randomBytes(32),
    outbound,
    llm,
    clock,
    // One process: the channel stays in-process, as on PGlite.
    invalidation: createInvalidationChannel(),
    logger: createLogger('silent'),
    metrics: createMetrics(),
    crmGate: createCrmGate(options.crmGate),
    version: 'test',
  };
  await deps.db.insert(serverMeta).values({ key: 'admin_token_hash', value: hashToken(TEST_ADMIN_TOKEN) });
  const app = await buildApp(deps);
  return {
    app,
    deps,
    clock,
    async createShop(name = 'Test shop') {
      const created = await createShop(deps, {
        name,
        country: 'ES',
        timezone: 'Europe/Madrid',
        locale: 'es-ES',
      });
      return { shopId: created.shop.id, token: created.token };
    },
    async close() {
      await app.close();
      await llm.close();
      await outbound.close();
      await database.close();
    },
  };
}
