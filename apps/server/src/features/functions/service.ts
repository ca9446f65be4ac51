/**
 * Custom functions (docs/custom-functions.md): definitions stored normalized, one per name and shop. A change
 * is previewed (validated, nothing written) and applied by the same planning code, so the preview a
 * caller confirmed is exactly what gets written. The AI reply code reads them through
 * `listFunctionsForModel` and `getFunctionForCall`.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { CustomFunction } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { boundTo, type SealedField } from '../../lib/secret-box.ts';
import type { Db } from '../../db/database.ts';
import { customFunctions } from '../../db/schema.ts';
import { openCredentials, sealCredentials } from '../../lib/credentials.ts';
import { newId } from '../../lib/ids.ts';
import { keyedChangeCommit, planKeyedChange } from '../../lib/keyed-change.ts';
import type { ChangePlan } from '../tool.ts';
import { compileParametersSchema } from './parameters-schema.ts';
import {
  definitionCredentials,
  definitionSettings,
  describeTarget,
  presentFunction,
  toModelTool,
  type CustomFunctionRow,
} from './present.ts';

type Deps = Pick<AppDeps, 'db' | 'secrets' | 'outbound' | 'clock'>;

/** Where the sealed endpoint credentials live: they open only for this column of their shop. */
const FIELD: SealedField = 'custom_functions.credentials';

export interface CustomFunctionChange {
  add?: CustomFunction | undefined;
  remove?: string | undefined;
}

const selectFunctions = (db: Db, shopId: string) =>
  db
    .select()
    .from(customFunctions)
    .where(eq(customFunctions.shopId, shopId))
    .orderBy(asc(customFunctions.name));

const presentStored = (deps: Pick<AppDeps, 'secrets'>, row: CustomFunctionRow) =>
  presentFunction(row, openCredentials(deps.secrets, row.credentials, boundTo(row.shopId, FIELD)));

/** Each function as the AI sees it, plus its endpoint with secrets redacted. */
export async function listCustomFunctions(deps: Pick<AppDeps, 'db' | 'secrets'>, shopId: string) {
  const rows = await selectFunctions(deps.db, shopId);
  return rows.map((row) => ({ ...presentStored(deps, row), updated_at: row.updatedAt.toISOString() }));
}

/** Validates the change (schema, policy, stored state); writes nothing. */
export async function planCustomFunctionChange(
  deps: Deps,
  shopId: string,
  change: CustomFunctionChange,
): Promise<ChangePlan> {
  const { add, remove } = change;
  if (add !== undefined) {
    await compileParametersSchema(add.parameters);
    await deps.outbound.checkUrl(add.endpoint.url);
  }
  const added = add && { settings: definitionSettings(add), credentials: definitionCredentials(add) };
  const plan = planKeyedChange({
    rows: await selectFunctions(deps.db, shopId),
    keyOf: (row) => row.name,
    present: (row) => presentStored(deps, row),
    add: added && { key: added.settings.name, presented: presentFunction(added.settings, added.credentials) },
    remove,
    wording: { add: 'add_function', remove: 'remove_function', record: 'custom function' },
  });
  const summary: string[] = [];
  const consequence: string[] = [];
  if (added !== undefined) {
    const { name } = added.settings;
    const target = describeTarget(added.settings);
    if (plan.replaced === undefined) {
      summary.push(`add custom function "${name}" (${target})`);
      consequence.push(`The AI can call "${name}" from its next reply on; each call sends ${target}.`);
    } else {
      summary.push(
        `replace the existing custom function "${name}" (${describeTarget(plan.replaced)} → ${target})`,
      );
      consequence.push(
        `The AI uses the new definition of "${name}" from its next reply on; the old one is discarded.`,
      );
    }
  }
  if (plan.removed !== undefined) {
    summary.push(`remove custom function "${plan.removed.name}" (${describeTarget(plan.removed)})`);
    consequence.push(`The AI can no longer call "${plan.removed.name}" from its next reply on.`);
  }
  return keyedChangeCommit(plan, { summary, consequence }, () =>
    writeCustomFunctionChange(deps, shopId, change),
  );
}

async function writeCustomFunctionChange(deps: Deps, shopId: string, change: CustomFunctionChange) {
  const { add, remove } = change;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    if (remove !== undefined) {
      await tx
        .delete(customFunctions)
        .where(and(eq(customFunctions.shopId, shopId), eq(customFunctions.name, remove)));
    }
    if (add === undefined) return;
    const { name, ...settings } = definitionSettings(add);
    const values = {
      ...settings,
      credentials: sealCredentials(deps.secrets, definitionCredentials(add), boundTo(shopId, FIELD)),
      updatedAt: now,
    };
    await tx
      .insert(customFunctions)
      .values({ id: newId('fn'), shopId, name, createdAt: now, ...values })
      .onConflictDoUpdate({ target: [customFunctions.shopId, customFunctions.name], set: values });
  });
}

/** The `tools` array of a Chat Completions request: what the model may call, without endpoints. */
export async function listFunctionsForModel(deps: Pick<AppDeps, 'db'>, shopId: string) {
  const rows = await selectFunctions(deps.db, shopId);
  return rows.map(toModelTool);
}

/** What the AI reply code needs to call one function, credentials opened; undefined when unknown. */
export async function getFunctionForCall(
  deps: Pick<AppDeps, 'db' | 'secrets'>,
  shopId: string,
  name: string,
) {
  const [row] = await deps.db
    .select()
    .from(customFunctions)
    .where(and(eq(customFunctions.shopId, shopId), eq(customFunctions.name, name)));
  if (row === undefined) return undefined;
  const { credentials, ...fn } = row;
  return { ...fn, credentials: openCredentials(deps.secrets, credentials, boundTo(shopId, FIELD)) };
}
export type FunctionForCall = NonNullable<Awaited<ReturnType<typeof getFunctionForCall>>>;
