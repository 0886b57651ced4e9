import 'server-only';
import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Conditions whose SQL differs between SQLite and PostgreSQL, written once so they mean the same
 * in both:
 * - LIKE: SQLite has no default escape character (PostgreSQL's is `\`), and SQLite's LIKE ignores
 *   ASCII case where PostgreSQL's does not — so every LIKE here names `ESCAPE '\'` and compares
 *   lower-cased text on both sides.
 * - a prefix match that must respect case: `substr(col, 1, n) = prefix` (both have substr).
 * - `in` with an empty list: PostgreSQL refuses `IN ()`; `anyOf` answers a false condition.
 */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** `column` contains `text`, ignoring case (the same in both dialects). */
export function containsText(column: string, text: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) LIKE ${`%${escapeLike(text.toLowerCase())}%`} ESCAPE '\\'`;
}

/** `column` starts with `prefix`, case and every character taken literally. */
export function startsWith(column: string, prefix: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`substr(${sql.ref(column)}, 1, ${prefix.length}) = ${prefix}`;
}

/** A condition that is never true (an `in` over an empty list), as 1 = 0: no boolean is bound. */
export const never = (): RawBuilder<SqlBool> => sql<SqlBool>`1 = 0`;
