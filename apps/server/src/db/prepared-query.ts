/**
 * Drizzle queries built once per database handle, for the hottest reads.
 *
 * Building a select and mapping its rows costs drizzle as much CPU as the statement itself once PGlite
 * runs it prepared (pglite-statements.ts; docs/decisions/performance-notes.md#pglite-statements-prepared),
 * the more so the wider the table. A query prepared with `sql.placeholder`s is built once and takes its
 * values per call.
 *
 * Built per handle: the app's `db` and each transaction get their own, since a query prepared on the
 * app's `db` would run outside the caller's transaction. The handle is the key of a WeakMap, so two
 * apps never share a query and each is dropped with its handle.
 */
import type { Db, Tx } from './database.ts';

export function preparedPerHandle<Query>(build: (db: Db | Tx) => Query): (db: Db | Tx) => Query {
  const built = new WeakMap<Db | Tx, Query>();
  return (db) => {
    let query = built.get(db);
    if (query === undefined) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}
