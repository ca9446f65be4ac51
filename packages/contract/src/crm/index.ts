// CRM endpoint answers (docs/crm-endpoints.md#answers): lenient parsing into the panel model
// (docs/side-panel.md).
export type { CrmAnswerIssue, CrmAnswerResult } from './answer-result.ts';
export { crmAnswerSchemas, type CrmAnswerSchemas } from './answer-schemas.ts';
export { parseCrmAnswer } from './parse-crm-answer.ts';
export type * from './panel-model.ts';
