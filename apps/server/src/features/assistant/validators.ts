/**
 * Argument validators of custom functions. Compiling a parameters schema costs milliseconds (a
 * fresh ajv instance per schema, see functions/parameters-schema.ts), and a definition does not
 * change until it is saved again, so each version is compiled once per process and kept: the key
 * is the function's id and update time. The least recently used are dropped beyond the cap. Each
 * app has its own (two apps in one process share nothing). Sharing within an app is safe: validation is synchronous and `errors` is read right after it.
 */
import type { ValidateFunction } from 'ajv';
import type { AppDeps } from '../../app-deps.ts';
import type { Invalidatable } from '../../lib/invalidation.ts';
import { compileParametersSchema, type FunctionForCall } from '../functions/index.ts';

const MAX_VALIDATORS = 1_000;

/** One app's compiled validators, kept on its invalidation channel (lib/invalidation.ts). */
class Validators implements Invalidatable {
  readonly compiled = new Map<string, ValidateFunction>();

  /** Keys carry the update time, so nothing is ever wrong; everything goes only when messages were lost. */
  invalidate(key: string | undefined): void {
    if (key === undefined) this.compiled.clear();
  }
}

export async function validatorFor(
  deps: Pick<AppDeps, 'invalidation'>,
  fn: Pick<FunctionForCall, 'id' | 'updatedAt' | 'parameters'>,
): Promise<ValidateFunction> {
  const validators = deps.invalidation.cache('function_validators', () => new Validators()).compiled;
  const key = `${fn.id}@${fn.updatedAt.getTime()}`;
  const cached = validators.get(key);
  if (cached !== undefined) {
    // Re-inserted so that Map order is least recently used first.
    validators.delete(key);
    validators.set(key, cached);
    return cached;
  }
  const compiled = await compileParametersSchema(fn.parameters);
  validators.set(key, compiled);
  if (validators.size > MAX_VALIDATORS) {
    const [oldest] = validators.keys();
    if (oldest !== undefined) validators.delete(oldest);
  }
  return compiled;
}
