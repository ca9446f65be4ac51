export { registerPanelRoutes } from './routes.ts';
export { linkedPhonesFor, linkedPhonesOfChats } from './links.ts';
export { auditRetentionCutoff, createAuditRetentionJobSource, pruneLookupAudit } from './audit-retention.ts';
