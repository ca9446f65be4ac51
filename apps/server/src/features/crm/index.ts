export { callCrmEndpoint, type CrmCallOutcome } from './connector.ts';
export type { CrmCallParams } from './build-request.ts';
export type { CrmErrorCode } from './call-errors.ts';
export {
  createCrmGate,
  defaultCrmGateLimits,
  type CrmBusy,
  type CrmGate,
  type CrmGateLimits,
} from './crm-gate.ts';
export {
  applyCrmEndpointChange,
  getCrmEndpointForCall,
  listCrmEndpoints,
  planCrmEndpointChange,
  type CrmEndpointChange,
  type CrmEndpointForCall,
} from './endpoints.ts';
export { getCrmHealthStatus, planCrmErrorReset } from './health.ts';
export { createCrmProbeJobSource, probeDisabledCrmEndpoints, type ProbeResult } from './probe.ts';
export { getRequestSigningSecret, planSigningSecretRotation, signatureScheme } from './signing-secret.ts';
export { crmTools } from './tools.ts';
