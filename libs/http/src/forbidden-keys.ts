/**
 * MongoDB reads `$`-prefixed keys as operators and dotted keys as paths, so a
 * body such as `{"filter": {"$ne": null}}` or `{"roles.0": "city_admin"}` could
 * change a query or an update's target. No such key is accepted from outside.
 */
import { AppError } from '@learning/errors';

export const FORBIDDEN_KEY = 'FORBIDDEN_KEY';

const isForbidden = (key: string): boolean => key.startsWith('$') || key.includes('.');

const pointerPart = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** The JSON pointer of the first forbidden key in `value`, if any. */
export function findForbiddenKey(value: unknown): string | undefined {
  // An explicit stack: parsed JSON may be nested deeper than the call stack allows.
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    const entries = Array.isArray(item.value)
      ? item.value.map((child, index): [string, unknown] => [String(index), child])
      : Object.entries(item.value);
    for (const [key, child] of entries) {
      const path = `${item.path}/${pointerPart(key)}`;
      if (!Array.isArray(item.value) && isForbidden(key)) return path;
      pending.push({ value: child, path });
    }
  }
  return undefined;
}

export function assertNoForbiddenKeys(value: unknown, source: 'body' | 'query'): void {
  const found = findForbiddenKey(value);
  if (found === undefined) return;
  const field = source === 'body' ? found : `query${found}`;
  throw new AppError(
    'invalid_argument',
    FORBIDDEN_KEY,
    'Field names may not start with "$" or contain ".".',
    {
      details: [{ field, message: 'is not an accepted field name' }],
    },
  );
}
