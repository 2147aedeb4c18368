/** A Scope (from @learning/auth) as the condition a MongoDB query must satisfy. */
import { Scope } from '@learning/auth';

export type ScopeFilter = Record<string, never> | { jurisdictionPath: { $in: string[] } };

/** The condition a query must satisfy to stay inside `scope`. */
export function scopeFilter(scope: Scope): ScopeFilter {
  const description = Scope.describe(scope);
  return description.kind === 'within' ? { jurisdictionPath: { $in: [...description.roots] } } : {};
}
