import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/**
 * Newest first in the order of an index declared with `.desc()`, which drizzle-kit writes as
 * `DESC NULLS LAST`. drizzle's `desc()` means `DESC`, nulls first: PostgreSQL cannot read such an index
 * in that order (NOT NULL columns included) and sorts every matching row instead. On PGlite, the newest
 * 50 of a shop's 200,000 function logs took 45 ms that way.
 */
export const newestFirst = (column: AnyColumn): SQL => sql`${column} DESC NULLS LAST`;
