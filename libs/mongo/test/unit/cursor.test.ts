import { describe, expect, it } from 'vitest';
import { mongo } from 'mongoose';
import { decodeCursor, encodeCursor } from '../../src/cursor.js';

const context = 'participants\nregisteredAt\nasc\n{}';

function expectInvalid(cursor: string, inContext = context): void {
  expect(() => decodeCursor(cursor, inContext)).toThrow(
    expect.objectContaining({ kind: 'invalid_argument', code: 'CURSOR_INVALID' }),
  );
}

describe('page cursors', () => {
  it('when a cursor is decoded in its own context, then the Date value and ObjectId come back as themselves', () => {
    const id = new mongo.ObjectId();
    const value = new Date('2025-04-01T08:30:00.123Z');
    const decoded = decodeCursor(encodeCursor({ value, id }, context), context);
    expect(decoded.value).toEqual(value);
    expect(decoded.value).toBeInstanceOf(Date);
    expect(decoded.id).toBeInstanceOf(mongo.ObjectId);
    expect(String(decoded.id)).toBe(id.toHexString());
  });

  it('when a cursor holds a number and a string id, then they come back as a number and a string', () => {
    const decoded = decodeCursor(encodeCursor({ value: 42, id: 'p-7' }, context), context);
    expect(decoded).toEqual({ value: 42, id: 'p-7' });
  });

  it('when a cursor is encoded, then it is URL-safe and shows no raw JSON', () => {
    const cursor = encodeCursor({ value: 'a b/c?', id: 'x' }, context);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('when the payload is edited, then the cursor is CURSOR_INVALID', () => {
    const [, tag] = encodeCursor({ value: 1, id: 'a' }, context).split('.');
    const forgedPayload = Buffer.from('{"v":{"$numberInt":"999"},"i":"a"}').toString('base64url');
    expectInvalid(`${forgedPayload}.${String(tag)}`);
  });

  it('when one character of the tag is changed, then the cursor is CURSOR_INVALID', () => {
    const cursor = encodeCursor({ value: 1, id: 'a' }, context);
    const last = cursor.at(-1) === 'A' ? 'B' : 'A';
    expectInvalid(cursor.slice(0, -1) + last);
  });

  it('when a cursor from another query is used, then it is CURSOR_INVALID', () => {
    const cursor = encodeCursor({ value: 1, id: 'a' }, context);
    expectInvalid(cursor, 'participants\nregisteredAt\ndesc\n{}');
    expectInvalid(cursor, 'activities\nregisteredAt\nasc\n{}');
  });

  it('when the cursor is garbage, empty, has extra parts or is overlong, then it is CURSOR_INVALID', () => {
    const cursor = encodeCursor({ value: 1, id: 'a' }, context);
    expectInvalid('not-a-cursor');
    expectInvalid('');
    expectInvalid(`${cursor}.extra`);
    expectInvalid('A'.repeat(5000));
  });
});
