import "server-only";

export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/**
 * The fields of `next` whose value differs from `before`, for an audit entry's data. Arrays are
 * compared as sets of ids, so reordering a list is no change.
 */
export function changedFields<T extends object>(
  before: T,
  next: Partial<T>,
): FieldChanges {
  const changes: FieldChanges = {};
  for (const key of Object.keys(next) as Array<keyof T & string>) {
    const from = before[key];
    const to = next[key];
    if (to === undefined || sameValue(from, to)) continue;
    changes[key] = { from, to };
  }
  return changes;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const sort = (list: unknown[]) =>
      JSON.stringify([...list].map(String).sort());
    return sort(a) === sort(b);
  }
  if (a instanceof Date && b instanceof Date)
    return a.getTime() === b.getTime();
  return Object.is(a, b);
}
