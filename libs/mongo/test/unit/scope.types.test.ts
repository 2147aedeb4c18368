import mongoose from 'mongoose';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Scope } from '@learning/auth';
import { scopeFilter, type Stored } from '../../src/index.js';
import { captureLogger } from '@learning/testing';
import { MemberRepository, memberModel, type Member } from '../support/members.js';

// Never opened: the repository is built only so the compiler can check calls on it.
const connection = mongoose.createConnection();
const repo = new MemberRepository(memberModel(connection), captureLogger('mongo-test').logger);

describe('scope types', () => {
  it('when a read or write is called without a scope, then it does not compile', () => {
    // @ts-expect-error a Scope is the first parameter of every read
    const unscopedRead = () => repo.findById('65f0c0ffee0000000000abcd');
    // @ts-expect-error and of every write
    const unscopedWrite = () => repo.updateVersioned('65f0c0ffee0000000000abcd', 1, { name: 'x' });
    expectTypeOf(unscopedRead).toBeFunction();
    expectTypeOf(unscopedWrite).toBeFunction();
    expectTypeOf<MemberRepository['findById']>().parameters.toEqualTypeOf<[Scope, string]>();
    expectTypeOf<
      MemberRepository['findById']
    >().returns.resolves.toEqualTypeOf<Stored<Member> | null>();
    expectTypeOf<MemberRepository['findOne']>().parameter(0).toEqualTypeOf<Scope>();
    expectTypeOf<MemberRepository['page']>().parameter(0).toEqualTypeOf<Scope>();
    expectTypeOf<MemberRepository['count']>().parameter(0).toEqualTypeOf<Scope>();
    expectTypeOf<MemberRepository['insert']>().parameter(0).toEqualTypeOf<Scope>();
    expectTypeOf<MemberRepository['updateVersioned']>().parameter(0).toEqualTypeOf<Scope>();
    expectTypeOf<MemberRepository['deleteVersioned']>().parameter(0).toEqualTypeOf<Scope>();
  });

  it('when a plain object is passed off as a scope, then it does not compile, and at run time it is refused', () => {
    // @ts-expect-error an object literal is not a Scope
    const literal: Scope = { kind: 'city' };
    // @ts-expect-error not even through a type assertion
    const asserted = { kind: 'city' } as Scope;
    expectTypeOf({ kind: 'city' as const }).not.toExtend<Scope>();
    expectTypeOf(Scope.cityWide()).toEqualTypeOf<Scope>();
    expect(() => scopeFilter(literal)).toThrow(TypeError);
    expect(() => scopeFilter(asserted)).toThrow(TypeError);
  });

  it('when code outside the repository reaches for the model, then it does not compile', () => {
    // @ts-expect-error the raw model is protected: every query goes through a scoped method
    const model: unknown = repo.model;
    expectTypeOf<MemberRepository>().not.toHaveProperty('model');
    expectTypeOf<MemberRepository>().not.toHaveProperty('scoped');
    expect(model).toBeDefined();
  });

  it('when a sort field is not a field of the document, then it does not compile', () => {
    const badSort = () =>
      // @ts-expect-error sorting is on the document's own fields
      repo.page(Scope.cityWide(), { sort: { field: 'nickname', direction: 'asc' }, limit: 10 });
    expectTypeOf(badSort).toBeFunction();
    expectTypeOf<Parameters<typeof repo.page>[1]['sort']['field']>().toEqualTypeOf<
      '_id' | 'name' | 'phone' | 'joinedAt' | 'jurisdictionPath' | 'version'
    >();
  });
});
