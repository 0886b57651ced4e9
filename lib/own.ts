/**
 * `table[key]` only when `key` is the table's own entry. A lookup by a request value (a URL
 * segment, a body field) must never find Object.prototype's `constructor`, `toString` or `__proto__`.
 */
export const own = <V>(table: Readonly<Record<string, V>>, key: string): V | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);
