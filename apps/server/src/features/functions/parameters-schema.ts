/**
 * A custom function's `parameters` is a JSON Schema the model's arguments are checked against
 * before any HTTP call (docs/custom-functions.md#when-the-model-calls-one). Compiling it on save proves it is
 * a schema ajv can enforce, so a broken one is refused when the integrator writes it, not when a customer is
 * waiting.
 */
import type { ValidateFunction } from 'ajv';
import { badRequest } from '../../lib/errors.ts';
import { loadOnce } from '../../lib/load-once.ts';

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

const loadAjv = loadOnce(() => import('ajv'));
const loadAjv2020 = loadOnce(() => import('ajv/dist/2020.js'));

/**
 * A fresh instance per schema: ajv caches every schema it compiled, which would grow without bound
 * in a long-running server. `strict: false` accepts annotations OpenAI schemas often carry
 * (`example`); formats are not enforced because no format vocabulary is installed. ajv is loaded
 * with the first schema, not by every start
 * (docs/decisions/performance-notes.md#what-a-start-loads).
 */
const newAjv = async (schema: Record<string, unknown>) => {
  const options = { strict: false, allErrors: true, logger: false, validateFormats: false } as const;
  // Draft-07 is what OpenAI function schemas follow; 2020-12 is what JSON Schema generators emit.
  if (schema.$schema === DRAFT_2020_12) {
    const { Ajv2020 } = await loadAjv2020();
    return new Ajv2020(options);
  }
  const { Ajv } = await loadAjv();
  return new Ajv(options);
};

export async function compileParametersSchema(
  parameters: Record<string, unknown>,
): Promise<ValidateFunction> {
  const ajv = await newAjv(parameters);
  try {
    return ajv.compile(parameters);
  } catch (error) {
    throw badRequest(
      `Invalid add_function.parameters: not a usable JSON Schema (${(error as Error).message}). ` +
        `Use draft-07 (no "$schema") or "$schema": "${DRAFT_2020_12}", with no remote "$ref".`,
    );
  }
}
