import { z } from 'zod';
import { endpointAuth, endpointHeaders, endpointUrl, httpMethod } from './endpoint-settings.ts';
import { objectOrJsonString } from './json-argument.ts';

/**
 * docs/custom-functions.md: functions the AI may call, each backed by an HTTP endpoint of the business.
 * Two definition layouts are accepted and stored in one normalized form (`CustomFunction`):
 *   A. OpenAI `{name, description, parameters}` plus top-level `endpoint` (the URL) and `method`;
 *   B. the same with `parameters.properties.endpoint = {url, method, format, auth}`, which is
 *      taken out of the schema the model sees.
 * The OpenAI tool wrapper `{"type":"function","function":{…}}` around either is accepted too.
 */

export const customFunctionMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type CustomFunctionMethod = (typeof customFunctionMethods)[number];
export const customFunctionFormats = ['json', 'form'] as const;

export const customFunctionName = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1-64 characters: letters, digits, "_" or "-"');

/**
 * Only the top of the schema is checked here (the server compiles the whole schema on save):
 * the model's arguments are always one JSON object.
 */
const parametersSchema = z.looseObject({
  type: z.literal('object', {
    error: 'must be "object": the function receives one JSON object of arguments',
  }),
  properties: z.record(z.string(), z.unknown()).optional(),
  required: z.array(z.string()).optional(),
});

/** Where the endpoint settings may sit in layout A (top level) and layout B (inside the endpoint). */
const endpointSettings = {
  method: httpMethod(customFunctionMethods).optional(),
  format: z.enum(customFunctionFormats, { error: 'must be "json" or "form"' }).optional(),
  headers: endpointHeaders.optional(),
  auth: endpointAuth.optional(),
};

const inlineEndpoint = z.strictObject({ url: endpointUrl, ...endpointSettings });

const definitionFields = z.strictObject({
  name: customFunctionName,
  description: z.string().max(4000, 'must be at most 4000 characters').default(''),
  parameters: parametersSchema,
  endpoint: endpointUrl.optional(),
  ...endpointSettings,
});
type DefinitionFields = z.output<typeof definitionFields>;
type EndpointSettings = Partial<Pick<DefinitionFields, keyof typeof endpointSettings>>;

const ENDPOINT_PATH = ['parameters', 'properties', 'endpoint'];
const looksLikeInlineEndpoint = (value: unknown) =>
  typeof value === 'object' && value !== null && 'url' in value;

/** The normalized form; settings given inside the endpoint win over top-level ones. */
const normalize = (
  fields: DefinitionFields,
  parameters: DefinitionFields['parameters'],
  endpoint: EndpointSettings & { url: string },
) => ({
  name: fields.name,
  description: fields.description,
  parameters,
  endpoint: {
    url: endpoint.url,
    // POST by default: arguments travel as a JSON body, the usual shape of a function call.
    method: endpoint.method ?? fields.method ?? 'POST',
    format: endpoint.format ?? fields.format ?? 'json',
    headers: endpoint.headers ?? fields.headers,
    auth: endpoint.auth ?? fields.auth,
  },
});

const customFunctionDefinition = definitionFields.transform((fields, ctx) => {
  const { endpoint: inline, ...modelProperties } = fields.parameters.properties ?? {};
  if (fields.endpoint !== undefined) {
    // Layout A. A property named `endpoint` stays a model parameter, unless it is an endpoint spec.
    if (!looksLikeInlineEndpoint(inline))
      return normalize(fields, fields.parameters, { url: fields.endpoint });
    ctx.addIssue({
      code: 'custom',
      path: ENDPOINT_PATH,
      message: 'the endpoint is given twice (also as top-level "endpoint"); keep one of them',
    });
    return z.NEVER;
  }
  if (inline === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['endpoint'],
      message:
        'is missing: give "endpoint" (the URL) and "method" at the top level, or parameters.properties.endpoint as {"url","method","format","auth"}',
    });
    return z.NEVER;
  }
  const parsed = inlineEndpoint.safeParse(inline);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', path: [...ENDPOINT_PATH, ...issue.path], message: issue.message });
    }
    return z.NEVER;
  }
  // Layout B: the model must neither see nor be asked for the endpoint.
  const { required, ...schema } = fields.parameters;
  const parameters = {
    ...schema,
    properties: modelProperties,
    ...(required === undefined ? {} : { required: required.filter((name) => name !== 'endpoint') }),
  };
  return normalize(fields, parameters, parsed.data);
});

const unwrapOpenAiTool = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  const wrapper = value as { type?: unknown; function?: unknown };
  return keys.length === 2 && wrapper.type === 'function' && typeof wrapper.function === 'object'
    ? wrapper.function
    : value;
};

export const customFunction = z.preprocess(unwrapOpenAiTool, customFunctionDefinition);
export type CustomFunction = z.output<typeof customFunction>;

/** The change arguments of `update_custom_functions`; `add_function` may be an object or its JSON text. */
export const updateCustomFunctionsArguments = z.strictObject({
  add_function: objectOrJsonString(customFunction).optional(),
  remove_function: z.string().min(1, 'must name a function').optional(),
});
