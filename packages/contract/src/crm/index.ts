// CRM endpoint answers (SPEC §4): lenient parsing into the panel model (SPEC §5).
export type { CrmAnswerIssue, CrmAnswerResult } from './answer-result.ts';
export { crmAnswerSchemas, type CrmAnswerSchemas } from './answer-schemas.ts';
export { parseCrmAnswer } from './parse-crm-answer.ts';
export type * from './panel-model.ts';
