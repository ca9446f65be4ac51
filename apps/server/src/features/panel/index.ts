export { registerPanelRoutes } from './routes.ts';
export { linkedPhonesFor } from './links.ts';
export { createAuditRetentionJobSource, pruneLookupAudit } from './audit-retention.ts';
