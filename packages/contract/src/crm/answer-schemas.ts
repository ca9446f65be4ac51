import { z } from 'zod';
import type { CrmEndpointType } from '../crm-endpoints.ts';
import { crmCustomer, crmOrder, crmProduct, crmSearchResult } from './entity-schemas.ts';
import { flag, oneOrListOf, text } from './fields.ts';

/*
 * The top level of each CRM answer (docs/crm-endpoints.md#the-top-level). `found` may be missing when data is
 * present, and a list may arrive as a single object, so every key is optional here; what makes a top level
 * unusable is decided in parse-answer.ts, where the messages can say what to send instead.
 */

const answer = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.looseObject({ found: flag, ...shape }, { error: 'expected the answer to be a JSON object' });

const customersAnswer = {
  customer: crmCustomer.nullish(),
  customers: oneOrListOf(crmCustomer, 'a customer object'),
};

export const crmAnswerSchemas = {
  sidePanel_CustomerInfo: answer(customersAnswer),
  ai_CustomerInitialInfo: answer({ ...customersAnswer, context: text }),
  sidePanel_CustomerFindToJoin: answer(customersAnswer),
  search_Products: answer({ products: oneOrListOf(crmProduct, 'a product object') }),
  globalSearch: answer({ results: oneOrListOf(crmSearchResult, 'a search result object') }),
  verify_conversion: answer({ converted: flag, orders: oneOrListOf(crmOrder, 'an order object') }),
} satisfies Record<CrmEndpointType, z.ZodType>;

export type CrmAnswerSchemas = typeof crmAnswerSchemas;
