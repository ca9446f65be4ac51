export { webhookTools } from './tools.ts';
