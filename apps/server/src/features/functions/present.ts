/** How custom functions are shown: as the model sees them, plus their endpoint with secrets redacted. */
import type { CustomFunction } from '@parley/contract';
import type { customFunctions } from '../../db/schema.ts';
import { redactCredentials, type TargetCredentials } from '../../lib/credentials.ts';

export type CustomFunctionRow = typeof customFunctions.$inferSelect;

/** The settings a change compares; a stored row and a definition about to be saved both have them. */
export type FunctionSettings = Pick<
  CustomFunctionRow,
  'name' | 'description' | 'parameters' | 'url' | 'method' | 'format'
>;

export const definitionSettings = (definition: CustomFunction): FunctionSettings => ({
  name: definition.name,
  description: definition.description,
  parameters: definition.parameters,
  url: definition.endpoint.url,
  method: definition.endpoint.method,
  format: definition.endpoint.format,
});

export const definitionCredentials = ({ endpoint }: CustomFunction): TargetCredentials => ({
  headers: endpoint.headers,
  auth: endpoint.auth,
});

/** The OpenAI tool the model is given: no endpoint, no credentials. */
export const toModelTool = (fn: Pick<FunctionSettings, 'name' | 'description' | 'parameters'>) => ({
  type: 'function' as const,
  function: { name: fn.name, description: fn.description, parameters: fn.parameters },
});

export const presentFunction = (fn: FunctionSettings, credentials: TargetCredentials) => {
  // Functions have no `token`; their secrets are header values and auth fields.
  const { headers, auth } = redactCredentials(credentials);
  return {
    name: fn.name,
    tool: toModelTool(fn),
    endpoint: { url: fn.url, method: fn.method, format: fn.format, headers, auth },
  };
};

/** One line for summaries: `POST https://erp.example.com/orders`. */
export const describeTarget = (fn: Pick<FunctionSettings, 'method' | 'url'>) => `${fn.method} ${fn.url}`;
