/**
 * One value loaded at most once per `ttlMs`: callers within that time share
 * it, and callers arriving while it loads share the load. A failed load is
 * not kept, so the next caller tries again.
 */
export function reusedFor<T>(
  ttlMs: number,
  load: () => Promise<T>,
  now: () => number = Date.now,
): () => Promise<T> {
  let current: { readonly value: Promise<T>; readonly loadedAt: number } | undefined;
  return () => {
    if (current !== undefined && now() - current.loadedAt < ttlMs) return current.value;
    const value = load();
    const entry = { value, loadedAt: now() };
    current = entry;
    value.catch(() => {
      if (current === entry) current = undefined;
    });
    return value;
  };
}
