/**
 * The seams every feature receives. Built once in main.ts (production) or by a test helper;
 * there is no container: a test that needs another clock or outbound client passes its own.
 */
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Db, DatabaseKind } from './db/database.ts';
import type { LocalWrites } from './db/local-writes.ts';
import type { CrmGate } from './features/crm/index.ts';
import type { Clock } from './lib/clock.ts';
import type { InvalidationChannel } from './lib/invalidation.ts';
import type { LlmProvider } from './lib/llm/index.ts';
import type { Metrics } from './lib/metrics.ts';
import type { OutboundHttp } from './lib/outbound/index.ts';
import type { SecretBox } from './lib/secret-box.ts';

export interface AppDeps {
  config: Config;
  db: Db;
  databaseKind: DatabaseKind;
  /** What changed in the database, where this process is its only writer (PGlite); undefined on PostgreSQL. */
  localWrites: LocalWrites | undefined;
  secrets: SecretBox;
  /** HMAC key for things Parley signs for itself (confirmation tokens); derived from the secret key. */
  signingKey: Buffer;
  outbound: OutboundHttp;
  /** Chat Completions calls for the AI assistant (PARLEY_LLM_* or a shop's own model). */
  llm: LlmProvider;
  clock: Clock;
  /** Tells this process's caches (and other processes', on PostgreSQL) that a change made them wrong. */
  invalidation: InvalidationChannel;
  logger: Logger;
  /** This app's Prometheus registry and its metrics (never prom-client's global registry). */
  metrics: Metrics;
  /** Bounds the calls of each shop in flight at its CRM, whatever feature makes them (features/crm/crm-gate.ts). */
  crmGate: CrmGate;
  version: string;
}
