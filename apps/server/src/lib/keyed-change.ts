/**
 * The shape of a change to records keyed by a name, where adding a record replaces the one with
 * its key and removing deletes it (one CRM endpoint per type, one custom function per name).
 * It works out the before/after a confirmation preview shows, so every such tool reports a
 * replacement, a removal and a refusal the same way.
 */
import { badRequest, notFound } from './errors.ts';

export interface KeyedChangeInput<Row> {
  /** Every stored record of the shop. */
  rows: readonly Row[];
  keyOf(row: Row): string;
  /** A stored record as a preview shows it, secrets redacted. */
  present(row: Row): unknown;
  /** The validated record to add or replace, as a preview shows it. */
  add?: { key: string; presented: unknown } | undefined;
  remove?: string | undefined;
  /** How messages name things, e.g. `{ add: 'add_function', remove: 'remove_function', record: 'custom function' }`. */
  wording: { add: string; remove: string; record: string };
}

export interface KeyedChangePlan<Row> {
  /** The stored record that `add` replaces. */
  replaced: Row | undefined;
  removed: Row | undefined;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  /**
   * The sealed credentials of the records touched: redacted secrets look alike whatever they are,
   * so only these reveal that someone changed a secret after the preview.
   */
  hidden: Record<string, string | null>;
}

export function planKeyedChange<Row extends { credentials: string | null }>(
  input: KeyedChangeInput<Row>,
): KeyedChangePlan<Row> {
  const { rows, keyOf, present, add, remove, wording } = input;
  if (add === undefined && remove === undefined) {
    throw badRequest(`Nothing to change: pass ${wording.add}, ${wording.remove}, or both.`);
  }
  if (add !== undefined && add.key === remove) {
    throw badRequest(
      `${wording.add} already replaces the ${wording.record} "${remove}"; drop ${wording.remove}.`,
    );
  }
  const stored = (key: string) => rows.find((row) => keyOf(row) === key);
  const plan: KeyedChangePlan<Row> = {
    replaced: undefined,
    removed: undefined,
    before: {},
    after: {},
    hidden: {},
  };
  if (add !== undefined) {
    plan.replaced = stored(add.key);
    plan.before[add.key] = plan.replaced === undefined ? null : present(plan.replaced);
    plan.after[add.key] = add.presented;
    plan.hidden[add.key] = plan.replaced?.credentials ?? null;
  }
  if (remove !== undefined) {
    plan.removed = stored(remove);
    if (plan.removed === undefined) {
      const keys = rows.map(keyOf);
      throw notFound(
        `Nothing to remove: there is no ${wording.record} "${remove}". ` +
          `Existing: ${keys.length > 0 ? keys.join(', ') : 'none'}.`,
      );
    }
    plan.before[remove] = present(plan.removed);
    plan.after[remove] = null;
    plan.hidden[remove] = plan.removed.credentials;
  }
  return plan;
}

/**
 * The confirmation plan of a keyed change (what features/tool.ts calls a ChangePlan): the preview told
 * in `summary` and `consequence` parts, and a commit that runs `write` and reports what it applied.
 */
export function keyedChangeCommit<Row>(
  plan: KeyedChangePlan<Row>,
  told: { summary: readonly string[]; consequence: readonly string[] },
  write: () => Promise<void>,
) {
  const summary = told.summary.join('; ');
  const { before, after, hidden } = plan;
  return {
    summary,
    consequence: told.consequence.join(' '),
    before,
    after,
    hidden,
    commit: async (): Promise<Record<string, unknown>> => {
      await write();
      return { status: 'applied', summary, before, after };
    },
  };
}
