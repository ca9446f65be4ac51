export type { WebhookBody } from './body.ts';
export type { HeaderInput } from './headers.ts';
export type { VerifyFailure, VerifyFailureCode } from './result.ts';
export { isValidSecret } from './secret.ts';
export { signWazion, verifyWazion } from './wazion.ts';
export {
  signStandard,
  verifyStandard,
  type SignStandardInput,
  type VerifyResult,
  type VerifyStandardInput,
} from './standard.ts';
export { buildSignatureHeaders, type BuildSignatureHeadersInput } from './build-headers.ts';
export {
  verifyWebhook,
  type VerifyWebhookInput,
  type WebhookScheme,
  type WebhookVerifyResult,
} from './verify-webhook.ts';
export {
  crmSignatureHeaders,
  signCrmRequest,
  verifyCrmRequest,
  type CrmRequestToSign,
  type VerifyCrmRequestInput,
} from './crm-request.ts';
