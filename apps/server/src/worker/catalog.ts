/** The job catalog: every kind of background job Parley runs, each owned by its feature. */
import type { AppDeps } from '../app-deps.ts';
import { createEmbeddedAnalyzeJobSource, createEmbeddedVacuumJobSource } from '../db/embedded-vacuum.ts';
import { createCrmProbeJobSource } from '../features/crm/index.ts';
import { createFollowupJobSources } from '../features/followup/index.ts';
import { createAuditRetentionJobSource } from '../features/panel/index.ts';
import { createWebhookJobSources, type WebhookJobOptions } from '../features/webhooks/index.ts';
import type { JobSource } from '../lib/jobs/job-source.ts';

export type JobOptions = WebhookJobOptions;

export const createJobSources = (deps: AppDeps, options: JobOptions = {}): JobSource[] => [
  ...createWebhookJobSources(deps, options),
  createCrmProbeJobSource(deps),
  createAuditRetentionJobSource(deps),
  ...createFollowupJobSources(deps),
  // A shared PostgreSQL vacuums itself.
  ...(deps.databaseKind === 'pglite'
    ? [createEmbeddedVacuumJobSource(deps), createEmbeddedAnalyzeJobSource(deps)]
    : []),
];
