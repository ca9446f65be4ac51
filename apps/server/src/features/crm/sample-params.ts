/**
 * The parameters of a harmless call of each type, as production would send them: what the
 * self-healing probe and test_crm_endpoint ask. The phone is one no real customer should have.
 */
import type { CrmEndpointType } from '@parley/contract';
import type { CrmCallParams } from './build-request.ts';

export const CRM_TEST_PHONE = '+34600000000';
export const CRM_TEST_QUERY = 'test';
const SAMPLE_LIMIT = 5;
/** verify_conversion asks about purchases since a follow-up; a week is a typical window. */
const SAMPLE_SINCE_MS = 7 * 24 * 60 * 60 * 1000;

export interface SampleInput {
  phone: string;
  query: string;
  now: Date;
}

const samples: Record<CrmEndpointType, (input: SampleInput) => CrmCallParams> = {
  sidePanel_CustomerInfo: ({ phone }) => ({ phone, relatedphones: [] }),
  ai_CustomerInitialInfo: ({ phone }) => ({ phone, relatedphones: [] }),
  sidePanel_CustomerFindToJoin: ({ query, phone }) => ({ query, phone }),
  search_Products: ({ query }) => ({ query, limit: SAMPLE_LIMIT }),
  globalSearch: ({ query }) => ({ query, limit: SAMPLE_LIMIT }),
  verify_conversion: ({ phone, now }) => ({
    phone,
    since: new Date(now.getTime() - SAMPLE_SINCE_MS).toISOString(),
  }),
};

export const sampleCrmParams = (type: CrmEndpointType, input: SampleInput): CrmCallParams =>
  samples[type](input);
