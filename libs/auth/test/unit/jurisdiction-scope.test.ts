import { AppError } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import { Scope, scopeAllows } from '../../src/index.js';

const townshipPath = ['330100', '330102', '330102001'];

describe('Scope', () => {
  it('when a scope is made within no jurisdiction, then it is refused as SCOPE_EMPTY', () => {
    expect(() => Scope.within([])).toThrow(
      expect.objectContaining({ kind: 'permission_denied', code: 'SCOPE_EMPTY' }),
    );
  });

  it('when a scope is made within a blank code, then it is refused as SCOPE_INVALID', () => {
    expect(() => Scope.within(['330102', ' '])).toThrow(AppError);
    expect(() => Scope.within(['330102', ' '])).toThrow(
      expect.objectContaining({ code: 'SCOPE_INVALID' }),
    );
  });

  it('when a system scope has a blank reason, then it is refused', () => {
    expect(() => Scope.system('  ')).toThrow(expect.objectContaining({ code: 'SCOPE_INVALID' }));
  });

  it('when a scope is described, then it shows its grant and cannot be changed', () => {
    const scope = Scope.within(['330102', '330102', '330103']);
    const description = Scope.describe(scope);
    expect(description).toEqual({ kind: 'within', roots: ['330102', '330103'] });
    expect(Object.isFrozen(scope)).toBe(true);
    expect(Object.isFrozen(description)).toBe(true);
    expect(Object.keys(scope)).toEqual([]);
    expect(Scope.describe(Scope.system('outbox relay'))).toEqual({
      kind: 'system',
      reason: 'outbox relay',
    });
  });

  it("when a scope is made of a person's reach, then city-wide stays city-wide and an officer gets their subtrees", () => {
    expect(Scope.describe(Scope.of({ cityWide: true, jurisdictions: [] }))).toEqual({
      kind: 'city',
    });
    expect(Scope.describe(Scope.of({ cityWide: false, jurisdictions: ['330102'] }))).toEqual({
      kind: 'within',
      roots: ['330102'],
    });
    expect(() => Scope.of({ cityWide: false, jurisdictions: [] })).toThrow(
      expect.objectContaining({ code: 'SCOPE_EMPTY' }),
    );
  });

  it('when an object forged past the type system is used as a scope, then it is rejected, not read as city-wide', () => {
    const forged = { kind: 'city' } as unknown as Scope;
    expect(() => Scope.describe(forged)).toThrow(TypeError);
    expect(() => scopeAllows(forged, townshipPath)).toThrow(TypeError);
  });
});

describe('scopeAllows', () => {
  it('when a root is an ancestor of the node or the node itself, then the node is allowed', () => {
    expect(scopeAllows(Scope.within(['330102']), townshipPath)).toBe(true);
    expect(scopeAllows(Scope.within(['330102001']), townshipPath)).toBe(true);
  });

  it('when no root is on the path, then the node is refused', () => {
    expect(scopeAllows(Scope.within(['330103']), townshipPath)).toBe(false);
    // A sibling's code that shares a prefix is still another subtree.
    expect(scopeAllows(Scope.within(['33010200']), townshipPath)).toBe(false);
    expect(scopeAllows(Scope.within(['330102']), [])).toBe(false);
  });

  it('when the scope is city-wide or system, then every node is allowed', () => {
    expect(scopeAllows(Scope.cityWide(), townshipPath)).toBe(true);
    expect(scopeAllows(Scope.system('relay'), ['999999'])).toBe(true);
  });
});
