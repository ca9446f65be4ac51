import type { z } from 'zod';
import type { CrmEndpointType } from '../crm-endpoints.ts';
import type { CrmAnswerResult } from './answer-result.ts';
import { crmAnswerSchemas } from './answer-schemas.ts';
import {
  listFrom,
  toPanelCustomer,
  toPanelOrder,
  toPanelProduct,
  toPanelSearchResult,
} from './normalize-entities.ts';
import type { PanelCrmAnswers, PanelCustomersAnswer } from './panel-model.ts';
import { parseAnswer, type AnswerLayout, type Assemble } from './top-level.ts';

const customersLayout: AnswerLayout = {
  dataKeys: ['customers', 'customer'],
  example: '{"found": true, "customers": [{"name": "…", "phone": "…"}]}',
};

type CustomersAnswer = z.output<typeof crmAnswerSchemas.sidePanel_CustomerInfo>;

/**
 * docs/crm-endpoints.md#the-top-level allows `customer` or `customers`; a CRM that sends both most likely
 * repeats itself.
 */
const customersOf: Assemble<CustomersAnswer, PanelCustomersAnswer> = (answer, warn) => {
  const hasList = answer.customers !== null && answer.customers !== undefined;
  if (hasList && answer.customer) {
    warn({
      path: '$.customer',
      message: 'ignored because "customers" is also present; send only one of them',
    });
  }
  const customers = (hasList ? listFrom(answer.customers) : listFrom(answer.customer)).map(toPanelCustomer);
  return { found: customers.length > 0, customers };
};

/** One parser per endpoint type; each answers with that type's panel model. */
const parsers: { [T in CrmEndpointType]: (json: unknown) => CrmAnswerResult<PanelCrmAnswers[T]> } = {
  sidePanel_CustomerInfo: (json) =>
    parseAnswer(crmAnswerSchemas.sidePanel_CustomerInfo, customersLayout, json, customersOf),

  ai_CustomerInitialInfo: (json) =>
    parseAnswer(crmAnswerSchemas.ai_CustomerInitialInfo, customersLayout, json, (answer, warn) => ({
      ...customersOf(answer, warn),
      context: answer.context ?? null,
    })),

  sidePanel_CustomerFindToJoin: (json) =>
    parseAnswer(crmAnswerSchemas.sidePanel_CustomerFindToJoin, customersLayout, json, customersOf),

  search_Products: (json) =>
    parseAnswer(
      crmAnswerSchemas.search_Products,
      { dataKeys: ['products'], example: '{"found": true, "products": [{"name": "…", "price": 9.99}]}' },
      json,
      (answer) => {
        const products = listFrom(answer.products).map(toPanelProduct);
        return { found: products.length > 0, products };
      },
    ),

  globalSearch: (json) =>
    parseAnswer(
      crmAnswerSchemas.globalSearch,
      { dataKeys: ['results'], example: '{"found": true, "results": [{"type": "order", "title": "…"}]}' },
      json,
      (answer) => {
        const results = listFrom(answer.results).map(toPanelSearchResult);
        return { found: results.length > 0, results };
      },
    ),

  verify_conversion: (json) =>
    parseAnswer(
      crmAnswerSchemas.verify_conversion,
      {
        dataKeys: ['orders', 'converted'],
        example: '{"found": true, "converted": true, "orders": [{"name": "…", "amount": 49.9}]}',
      },
      json,
      (answer) => {
        const orders = listFrom(answer.orders).map(toPanelOrder);
        // A missing `found` next to data means found (parseAnswer refuses an answer with neither).
        return { found: answer.found ?? true, converted: answer.converted ?? orders.length > 0, orders };
      },
    ),
};

/**
 * Checks and normalizes the answer of a CRM endpoint (docs/crm-endpoints.md#answers) into the panel model.
 * Never throws: wrong values below the top level become warnings (with their JSONPath) and are left out; an
 * answer that cannot be used at all is `ok: false` with errors that say what to send instead.
 */
export function parseCrmAnswer<T extends CrmEndpointType>(
  type: T,
  json: unknown,
): CrmAnswerResult<PanelCrmAnswers[T]> {
  return parsers[type](json);
}
