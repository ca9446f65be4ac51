/**
 * Marks a statement whose best plan depends on its values, so that PostgreSQL plans it on every
 * execution. On PGlite, statements run prepared and PostgreSQL may keep one plan for any values
 * (pglite-statements.ts); a marked statement runs on PGlite's own path instead, planned each time. On
 * PostgreSQL, node-postgres sends unnamed statements, planned each time anyway: the mark is a comment.
 *
 * The lookup audit by phone is one: how many batches hold the phone decides which index pays, and one
 * plan for every phone made it many times slower at size (bench/growth-queries.ts;
 * docs/decisions/performance-notes.md#pglite-statements-prepared).
 */
import { sql, type SQL } from 'drizzle-orm';

export const PLANNED_PER_EXECUTION = '/* planned per execution */';

export const plannedPerExecution = (statement: SQL): SQL =>
  sql`${sql.raw(PLANNED_PER_EXECUTION)} ${statement}`;
