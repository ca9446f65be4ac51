/**
 * Which tables changed, in order, on a database only this process writes: PGlite, whose data dir one
 * process holds (data-dir-lock.ts). The PGlite client (pglite-statements.ts) records every statement
 * it runs with the tables that statement may change, so a cache of a read can tell for certain
 * whether its rows may have changed since it read them (write-checked-cache.ts). On PostgreSQL other
 * processes write too and there is no such record: caches of that kind read every time.
 *
 * A statement's tables come from its text, widened by the schema: a write to a table also changes the
 * tables whose foreign keys cascade from it. A command the text does not make clear (a schema change,
 * TRUNCATE, COPY, CALL, EXPLAIN) counts as changing every table. Over-counting only costs a cache its
 * hit; missing a table would serve stale rows, so every doubt counts as a change. (Triggers and
 * functions could write where the text does not say: Parley's migrations define none, which
 * write-reach.pglite.test.ts checks.)
 */
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';

/** Every table, for a statement whose effects cannot be read from its text. */
export const ALL_TABLES = 'all';

/** The tables a statement may change: none for a read. */
export type TablesChanged = readonly string[] | typeof ALL_TABLES;

export interface LocalWrites {
  /** The point reached in the sequence of changes, to pass to `changedSince` later. */
  mark(): number;
  /** Whether a statement recorded after `mark` may have changed any of `tables`. */
  changedSince(mark: number, tables: readonly string[]): boolean;
  /** Records a statement that ran (or failed: it counts all the same) changing `tables`. */
  record(tables: TablesChanged): void;
}

/**
 * What writes to a table reach beyond it: `parent → children` for foreign keys with an action
 * (cascade, set null, set default).
 */
export type WriteReach = ReadonlyMap<string, readonly string[]>;

const ACTIONS_THAT_WRITE = new Set(['cascade', 'set null', 'set default']);

/**
 * `WriteReach` as a drizzle schema module declares it (its tables, among its other exports). The
 * migrations are generated from the schema, and a test (write-reach.pglite.test.ts) holds it to the
 * migrated database's catalog. Read from the schema, not the catalog, so that a start does not pay
 * for one more cold query (docs/decisions/performance-notes.md#what-a-start-loads).
 */
export function writeReachOf(schema: Record<string, unknown>): WriteReach {
  const cascades = new Map<string, string[]>();
  for (const table of Object.values(schema)) {
    if (!is(table, PgTable)) continue;
    const { name, foreignKeys } = getTableConfig(table);
    for (const key of foreignKeys) {
      if (!ACTIONS_THAT_WRITE.has(key.onDelete ?? '') && !ACTIONS_THAT_WRITE.has(key.onUpdate ?? ''))
        continue;
      const parent = getTableConfig(key.reference().foreignTable).name;
      cascades.set(parent, [...(cascades.get(parent) ?? []), name]);
    }
  }
  return cascades;
}

export function createLocalWrites(reach: WriteReach): LocalWrites {
  let sequence = 0;
  let allChangedAt = 0;
  const changedAt = new Map<string, number>();
  // Each written table with everything its writes reach, worked out once per table.
  const reached = new Map<string, readonly string[]>();

  const reachOf = (table: string): readonly string[] => {
    let tables = reached.get(table);
    if (tables === undefined) {
      tables = closure(reach, table);
      reached.set(table, tables);
    }
    return tables;
  };

  return {
    mark: () => sequence,
    changedSince: (mark, tables) =>
      allChangedAt > mark || tables.some((table) => (changedAt.get(table) ?? 0) > mark),
    record(tables) {
      if (tables === ALL_TABLES) {
        allChangedAt = ++sequence;
        return;
      }
      if (tables.length === 0) return;
      sequence += 1;
      for (const written of tables) {
        for (const table of reachOf(written)) changedAt.set(table, sequence);
      }
    },
  };
}

function closure(reach: WriteReach, start: string): readonly string[] {
  const seen = new Set([start]);
  const pending = [start];
  for (let table = pending.pop(); table !== undefined; table = pending.pop()) {
    for (const next of reach.get(table) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        pending.push(next);
      }
    }
  }
  return [...seen];
}

/**
 * Commands that change no table's rows. Not `rollback`: the client only ever sees `rollback to
 * savepoint` (PGlite ends its transactions itself), which takes back changes of unknown tables that
 * a read made since may have seen, so it counts as changing every table.
 */
const NON_WRITING = new Set([
  'begin',
  'start',
  'commit',
  'end',
  'savepoint',
  'release',
  'set',
  'reset',
  'show',
  'listen',
  'unlisten',
  'notify',
  'analyze',
  'vacuum',
  'checkpoint',
  'discard',
  'deallocate',
]);

/** Commands whose changes, if any, are named as `insert into t`, `update t`, `delete from t`. */
const DATA_COMMANDS = new Set(['select', 'with', 'values', 'table', 'insert', 'update', 'delete', 'merge']);

const LEADING_NOISE = /^(?:\s+|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/;
const IDENTIFIER = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const WRITE_TARGET = new RegExp(
  String.raw`\b(?:insert\s+into|update|delete\s+from|merge\s+into)\s+(${IDENTIFIER}(?:\s*\.\s*${IDENTIFIER})?)`,
  'gi',
);
const LAST_IDENTIFIER = new RegExp(String.raw`(${IDENTIFIER})\s*$`);

/**
 * The tables a statement's text says it changes. `select … for update` and `on conflict do update`
 * name words that are not tables; those are harmless extra names.
 */
export function tablesChangedBy(text: string): TablesChanged {
  const body = text.replace(LEADING_NOISE, '');
  const command = /^[A-Za-z]+/.exec(body)?.[0]?.toLowerCase() ?? '';
  if (NON_WRITING.has(command)) return [];
  if (!DATA_COMMANDS.has(command)) return ALL_TABLES;
  return [...body.matchAll(WRITE_TARGET)].map((match) => tableName(match[1] ?? ''));
}

/**
 * A table as the catalog's `regclass::text` and the statements name it: without its schema (Parley's
 * tables are all in `public`), unquoted, folded to lower case unless it was quoted.
 */
export function tableName(qualified: string): string {
  const last = LAST_IDENTIFIER.exec(qualified)?.[1] ?? qualified;
  return last.startsWith('"') ? last.slice(1, -1).replaceAll('""', '"') : last.toLowerCase();
}
