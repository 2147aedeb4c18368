import { Scope } from '@learning/auth';
import { describe, expect, it } from 'vitest';
import { scopeFilter } from '../../src/index.js';

describe('scopeFilter', () => {
  it('when the scope is city-wide or system, then the filter adds no condition', () => {
    expect(scopeFilter(Scope.cityWide())).toEqual({});
    expect(scopeFilter(Scope.system('scoring consumer'))).toEqual({});
  });

  it('when the scope is within roots, then the filter requires one of them on the path', () => {
    expect(scopeFilter(Scope.within(['330102', '330103']))).toEqual({
      jurisdictionPath: { $in: ['330102', '330103'] },
    });
  });
});

describe('scopeFilter of a forged scope', () => {
  it('when an object forged past the type system is used as a scope, then it is rejected, not read as city-wide', () => {
    expect(() => scopeFilter({ kind: 'city' } as unknown as Scope)).toThrow(TypeError);
  });
});
