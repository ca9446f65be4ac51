export {
  applyCrmEndpointChange,
  getCrmEndpointForCall,
  listCrmEndpoints,
  previewCrmEndpointChange,
  type CrmEndpointChange,
  type CrmEndpointForCall,
} from './endpoints.ts';
export { getCrmHealthStatus, previewCrmErrorReset, resetCrmErrors } from './health.ts';
export {
  getRequestSigningSecret,
  previewSigningSecretRotation,
  rotateRequestSigningSecret,
  signatureScheme,
} from './signing-secret.ts';
export { crmTools } from './tools.ts';
