/**
 * A caller's reach over jurisdiction-scoped data: decided by who the caller
 * is, so it lives beside the principal, and applied by every store
 * (`scopeFilter` in @learning/mongo) and use case alike. Scoped documents carry
 * `jurisdictionPath`: the codes from the city root down to the node itself, so
 * "inside the subtree of R" is simply "R is in jurisdictionPath".
 *
 * A Scope is opaque: its only property is keyed by a symbol this module does
 * not export, so it can be made only by the factories below and an object
 * literal cannot pass for one, not even through `as`.
 */
import { AppError } from '@learning/errors';

const scopeBrand: unique symbol = Symbol('learning.scope');

/** What a scope grants, for logs and decisions; never a way to make a Scope. */
export type ScopeDescription =
  | { readonly kind: 'city' }
  | { readonly kind: 'within'; readonly roots: readonly string[] }
  | { readonly kind: 'system'; readonly reason: string };

export interface Scope {
  readonly [scopeBrand]: ScopeDescription;
}

function make(description: ScopeDescription): Scope {
  return Object.freeze({ [scopeBrand]: Object.freeze(description) });
}

const cityWideScope = make({ kind: 'city' });

function within(rootCodes: readonly string[]): Scope {
  const roots = [...new Set(rootCodes)];
  if (roots.length === 0) {
    // An officer with no jurisdiction must see nothing, not everything.
    throw new AppError(
      'permission_denied',
      'SCOPE_EMPTY',
      'No jurisdiction is assigned to this account.',
    );
  }
  if (roots.some((code) => typeof code !== 'string' || code.trim() === '')) {
    throw new AppError(
      'invalid_argument',
      'SCOPE_INVALID',
      'A jurisdiction code must be a non-empty string.',
    );
  }
  return make({ kind: 'within', roots: Object.freeze(roots) });
}

function system(reason: string): Scope {
  if (reason.trim() === '') {
    throw new AppError('invalid_argument', 'SCOPE_INVALID', 'A system scope needs a reason.');
  }
  return make({ kind: 'system', reason });
}

/** Reads a scope's grant; throws on a forged value so it can never widen to "everything". */
function describe(scope: Scope): ScopeDescription {
  const description = (scope as Partial<Scope> | null | undefined)?.[scopeBrand];
  if (description === undefined)
    throw new TypeError('Not a Scope: use Scope.cityWide(), Scope.within() or Scope.system().');
  return description;
}

/** What a signed-in person's reach is read from; `Principal` from @learning/auth fits. */
export interface Reach {
  readonly cityWide: boolean;
  readonly jurisdictions: readonly string[];
}

export const Scope = {
  /** City administrators and city-wide departments: every jurisdiction. */
  cityWide: (): Scope => cityWideScope,
  /** An area officer: the subtrees under the given jurisdiction codes. */
  within,
  /** A signed-in person's scope: city-wide, or within their jurisdictions (none: SCOPE_EMPTY). */
  of: (reach: Reach): Scope => (reach.cityWide ? cityWideScope : within(reach.jurisdictions)),
  /** The platform acting for itself (consumers, relays); the reason is logged with each use. */
  system,
  describe,
} as const;

/** Whether a document at `jurisdictionPath` is inside `scope`. */
export function scopeAllows(scope: Scope, jurisdictionPath: readonly string[]): boolean {
  const description = describe(scope);
  if (description.kind !== 'within') return true;
  return jurisdictionPath.some((code) => description.roots.includes(code));
}
