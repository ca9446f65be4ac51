/**
 * Drizzle's PGlite driver on named prepared statements.
 *
 * PGlite's own `query` sends a statement as six round trips into WebAssembly (parse, describe, bind,
 * describe, execute, sync) and has PostgreSQL parse, analyse and plan it every time, on the server's
 * only thread: the largest cost of most requests on PGlite. This client gives drizzle the same `query`
 * and `transaction`, but prepares each SQL text once (parse, analyse and describe, kept by name) and then
 * runs it as one round trip of bind, execute and sync (measured in
 * docs/decisions/performance-notes.md#pglite-statements-prepared).
 *
 * PostgreSQL keeps a plan per prepared statement once it judges one plan good for any values (its
 * `plan_cache_mode = auto`). A statement whose best plan depends on its values is marked with
 * `plannedPerExecution` (planned-per-execution.ts) and runs on PGlite's own path, planned every time.
 *
 * What PGlite's `query` does otherwise is kept: the same locks (a statement outside a transaction waits
 * for any transaction, and every statement for the one before it), the same parameter serializers, chosen
 * by the types PostgreSQL inferred, the same result parsing and errors (a `DatabaseError` carrying the
 * statement). Calls with options drizzle never passes (`paramTypes`, `blob`) go to PGlite's own path.
 *
 * Given `writes`, every statement on either path is recorded there with the tables it may change
 * (local-writes.ts), once it has run or failed.
 */
import {
  parse,
  protocol,
  type PGlite,
  type QueryOptions,
  type Results,
  type Transaction,
} from '@electric-sql/pglite';
import { tablesChangedBy, type LocalWrites, type TablesChanged } from './local-writes.ts';
import { PLANNED_PER_EXECUTION } from './planned-per-execution.ts';

type BackendMessage = Parameters<typeof parse.parseResults>[0][number];
type Parser = PGlite['parsers'][number];

/** Takes note of a statement that ran, with the tables it may have changed. */
type Recorder = (tables: TablesChanged) => void;

type Query = <T>(text: string, params?: unknown[], options?: QueryOptions) => Promise<Results<T>>;

/** What drizzle's PGlite session calls on its client inside a transaction (nesting is by savepoints). */
type PgliteTransactionClient = { query: Query } & Pick<Transaction, 'rollback' | 'closed'>;

/** What drizzle's PGlite session calls on its client. */
export interface PgliteQueryClient {
  query: Query;
  transaction<T>(callback: (tx: PgliteTransactionClient) => Promise<T>): Promise<T>;
}

interface PreparedStatement {
  name: string;
  /** The parameters' types as PostgreSQL inferred them: they choose each value's serializer. */
  paramTypes: number[];
  /** The result's columns (none for a statement without rows), put before each run's rows for the parser. */
  rowDescription: BackendMessage | undefined;
  /** The types of those columns, once each, and PGlite's parsers for them. */
  resultTypes: number[];
  parsers: Record<number, Parser>;
  /** The tables running it may change, read from its text once. */
  changes: TablesChanged;
}

/**
 * Statements kept prepared at most; past this, the least recently used is closed. The panel, MCP,
 * webhook, Smart Follow-up, assistant and intake tests together prepare about 170 distinct SQL texts
 * (a list filter's text changes with the list's length), and each keeps its analysed query in PGlite's
 * memory, which WebAssembly never gives back: room for a process's working set, with a bound.
 */
const DEFAULT_MAX_STATEMENTS = 256;

export function preparedStatementClient(
  pglite: PGlite,
  { maxStatements = DEFAULT_MAX_STATEMENTS, writes }: { maxStatements?: number; writes?: LocalWrites } = {},
): PgliteQueryClient {
  // In least-recently-used order: a Map iterates in insertion order, and each use re-inserts.
  const statements = new Map<string, PreparedStatement>();
  let nextName = 0;

  async function prepare(text: string): Promise<PreparedStatement> {
    const name = `parley_${++nextName}`;
    const messages = await exchange(
      protocol.serialize.parse({ name, text }),
      protocol.serialize.describe({ type: 'S', name }),
    );
    const described = messages.find((message) => message.name === 'parameterDescription') as
      { dataTypeIDs: number[] } | undefined;
    const rowDescription = messages.find((message) => message.name === 'rowDescription') as
      (BackendMessage & { fields: Array<{ dataTypeID: number }> }) | undefined;
    const resultTypes = [...new Set(rowDescription?.fields.map((field) => field.dataTypeID))];
    const parsers: Record<number, Parser> = {};
    for (const type of resultTypes) {
      const parser = pglite.parsers[type];
      if (parser !== undefined) parsers[type] = parser;
    }
    const statement: PreparedStatement = {
      name,
      paramTypes: described?.dataTypeIDs ?? [],
      rowDescription,
      resultTypes,
      parsers,
      changes: tablesChangedBy(text),
    };
    statements.set(text, statement);
    if (statements.size > maxStatements) await closeLeastRecentlyUsed();
    return statement;
  }

  async function closeLeastRecentlyUsed(): Promise<void> {
    const [text, statement] = statements.entries().next().value as [string, PreparedStatement];
    statements.delete(text);
    // A failed close leaves one statement behind in PostgreSQL's memory, which is no reason to fail
    // the statement that caused it.
    await exchange(protocol.serialize.close({ type: 'S', name: statement.name })).catch(() => undefined);
  }

  /** One round trip: the messages, then Sync, which ends the exchange (not a transaction). */
  function exchange(...messages: Uint8Array[]): Promise<BackendMessage[]> {
    return pglite.execProtocolStream(concatenate([...messages, protocol.serialize.sync()]), {
      syncToFs: false,
    });
  }

  async function runPrepared<T>(
    text: string,
    params: unknown[],
    options: QueryOptions | undefined,
    record: Recorder,
  ): Promise<Results<T>> {
    let statement = statements.get(text);
    if (statement === undefined) {
      statement = await prepare(text);
    } else {
      statements.delete(text);
      statements.set(text, statement);
    }
    const values = params.map((param, index) =>
      serializeParam(pglite, statement.paramTypes[index], param, options),
    );
    let messages: BackendMessage[];
    try {
      messages = await exchange(
        protocol.serialize.bind({ statement: statement.name, values }),
        protocol.serialize.execute({}),
      );
    } finally {
      record(statement.changes);
    }
    if (statement.rowDescription === undefined)
      return parse.parseResults(messages, pglite.parsers)[0] as Results<T>;
    // The parsers of this result's columns only: PGlite's parseResults would otherwise copy its whole
    // table of parsers (one per type, array types included) into a new object for every statement
    // that brings parsers of its own, as drizzle's always do.
    const parsers = { ...statement.parsers };
    if (options?.parsers !== undefined) {
      for (const type of statement.resultTypes) {
        const parser = options.parsers[type];
        if (parser !== undefined) parsers[type] = parser;
      }
    }
    return parse.parseResults([statement.rowDescription, ...messages], parsers, {
      rowMode: options?.rowMode,
    })[0] as Results<T>;
  }

  /**
   * Runs a statement, preparing it first if needed. A statement the server lost or can no longer run
   * as prepared is forgotten; outside a transaction it is prepared again and run once more, inside one
   * the error stands (the transaction is aborted either way).
   */
  async function run<T>(
    text: string,
    params: unknown[],
    options: QueryOptions | undefined,
    { inTransaction, record }: { inTransaction: boolean; record: Recorder },
  ): Promise<Results<T>> {
    try {
      return await runPrepared<T>(text, params, options, record);
    } catch (error) {
      if (!isStale(error)) throw withStatement(error, text, params, options);
      statements.delete(text);
      if (inTransaction) throw withStatement(error, text, params, options);
      try {
        return await runPrepared<T>(text, params, options, record);
      } catch (retryError) {
        throw withStatement(retryError, text, params, options);
      }
    }
  }

  const recordWrite: Recorder = (tables) => writes?.record(tables);

  async function recorded<T>(text: string, record: Recorder, runOnPglitePath: () => Promise<T>): Promise<T> {
    try {
      return await runOnPglitePath();
    } finally {
      record(tablesChangedBy(text));
    }
  }

  function transactionClient(tx: Transaction, record: Recorder): PgliteTransactionClient {
    return {
      query: async <T>(text: string, params: unknown[] = [], options?: QueryOptions) => {
        if (tx.closed) throw new Error('Transaction is closed');
        if (runsOnPglitePath(text, options))
          return recorded(text, record, () => tx.query<T>(text, params, options));
        return pglite._runExclusiveQuery(() =>
          run<T>(text, params, options, { inTransaction: true, record }),
        );
      },
      rollback: () => tx.rollback(),
      get closed() {
        return tx.closed;
      },
    };
  }

  return {
    async query<T>(text: string, params: unknown[] = [], options?: QueryOptions) {
      if (runsOnPglitePath(text, options))
        return recorded(text, recordWrite, () => pglite.query<T>(text, params, options));
      await pglite._checkReady();
      return pglite._runExclusiveTransaction(async () => {
        const result = await pglite._runExclusiveQuery(() =>
          run<T>(text, params, options, { inTransaction: false, record: recordWrite }),
        );
        await pglite.syncToFs();
        return result;
      });
    },
    async transaction(callback) {
      const changed: TablesChanged[] = [];
      const record: Recorder = (tables) => {
        recordWrite(tables);
        if (tables.length > 0) changed.push(tables);
      };
      try {
        return await pglite.transaction((tx) => callback(transactionClient(tx, record)));
      } catch (error) {
        // Rolled back: a read made inside it may have seen changes that are now gone, and a cache may
        // hold that read with a mark taken after the changes were recorded. Recording them again
        // makes any such read stale.
        for (const tables of changed) recordWrite(tables);
        throw error;
      }
    },
  };
}

/** A statement planned per execution, or with options drizzle never passes. */
const runsOnPglitePath = (text: string, options: QueryOptions | undefined) =>
  text.startsWith(PLANNED_PER_EXECUTION) || options?.paramTypes !== undefined || options?.blob !== undefined;

/** As PGlite's `query` does: the serializer of the parameter's inferred type, else its text. */
function serializeParam(
  pglite: PGlite,
  type: number | undefined,
  param: unknown,
  options: QueryOptions | undefined,
) {
  if (param === null || param === undefined) return null;
  const serialize =
    type === undefined ? undefined : (options?.serializers?.[type] ?? pglite.serializers[type]);
  return serialize === undefined ? String(param) : serialize(param);
}

/** A statement the server no longer has, or can no longer run as prepared after its table changed. */
function isStale(error: unknown): boolean {
  if (!(error instanceof protocol.messages.DatabaseError)) return false;
  // invalid_sql_statement_name: the prepared statement is gone.
  if (error.code === '26000') return true;
  return error.code === '0A000' && /cached plan must not change result type/.test(error.message);
}

/** As PGlite's errors are: the database's error, naming the statement that failed. */
function withStatement(
  error: unknown,
  query: string,
  params: unknown[],
  queryOptions: QueryOptions | undefined,
) {
  if (error instanceof protocol.messages.DatabaseError) Object.assign(error, { query, params, queryOptions });
  return error;
}

function concatenate(parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
