import { AppError } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import { expectedRevision, revisionFromIfMatch } from '../../src/if-match.js';

const refuse = () => new AppError('invalid_argument', 'REVISION_INVALID', 'bad If-Match');

describe('revisionFromIfMatch', () => {
  it('when the header is absent, then no revision is named', () => {
    expect(revisionFromIfMatch(undefined, { refuse })).toBeUndefined();
  });

  it('when a strong or weak ETag is sent, then its revision is read', () => {
    expect(revisionFromIfMatch('"3"', { refuse })).toBe(3);
    expect(revisionFromIfMatch(' W/"42" ', { refuse })).toBe(42);
  });

  it('when revision 0 is sent, then only a caller allowing it accepts it', () => {
    expect(revisionFromIfMatch('"0"', { refuse, allowZero: true })).toBe(0);
    expect(() => revisionFromIfMatch('"0"', { refuse })).toThrow('bad If-Match');
  });

  it('when the header is malformed or names several ETags, then the caller’s refusal is thrown', () => {
    for (const header of ['3', '"03"', '"-1"', '*', '"1", "2"', '"12345678901"'])
      expect(() => revisionFromIfMatch(header, { refuse }), header).toThrow('bad If-Match');
    expect(() => revisionFromIfMatch(['"1"', '"2"'], { refuse })).toThrow('bad If-Match');
  });
});

describe('expectedRevision', () => {
  it('when neither If-Match nor a body revision is sent, then the write expects none', () => {
    expect(expectedRevision(undefined, undefined, { refuse })).toEqual({});
  });

  it('when only the body names a revision, then the write expects it', () => {
    expect(expectedRevision(undefined, 4, { refuse })).toEqual({ expectedRevision: 4 });
  });

  it('when If-Match and the body both name one, then If-Match wins', () => {
    expect(expectedRevision('W/"7"', 4, { refuse })).toEqual({ expectedRevision: 7 });
  });

  it('when If-Match names revision 0, then only a caller allowing it expects it', () => {
    expect(expectedRevision('"0"', undefined, { refuse, allowZero: true })).toEqual({
      expectedRevision: 0,
    });
    expect(() => expectedRevision('"0"', undefined, { refuse })).toThrow('bad If-Match');
  });

  it('when If-Match is malformed, then the caller’s refusal is thrown even with a body revision', () => {
    expect(() => expectedRevision('3', 3, { refuse })).toThrow('bad If-Match');
  });
});
