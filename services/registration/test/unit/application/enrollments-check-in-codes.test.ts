import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkInCodes } from '../../../src/application/enrollments/check-in-codes.js';

const macUnder = (key: string) => (text: string) =>
  createHmac('sha256', key).update(text).digest('hex');

describe('check-in codes', () => {
  const codes = checkInCodes(macUnder('the key'));

  it('when many codes are issued, then each is 8 unambiguous characters and they differ', () => {
    const issued = Array.from({ length: 1000 }, () => codes.newCode());
    expect(issued.every((code) => /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/.test(code))).toBe(true);
    expect(new Set(issued).size).toBe(1000);
  });

  it('when a genuine payload is verified, then its enrollment and code come back', () => {
    const payload = codes.qrPayload('enr_1', 'ABCDEFGH');
    expect(codes.verify(payload)).toEqual({ enrollmentId: 'enr_1', code: 'ABCDEFGH' });
  });

  it('when a payload is edited to point at another enrollment or code, then it is a forgery', () => {
    const payload = codes.qrPayload('enr_1', 'ABCDEFGH');
    expect(codes.verify(payload.replace('enr_1', 'enr_2'))).toBeNull();
    expect(codes.verify(payload.replace('ABCDEFGH', 'ABCDEFGJ'))).toBeNull();
  });

  it('when a payload was signed under another key, then it is a forgery', () => {
    const foreign = checkInCodes(macUnder('another key')).qrPayload('enr_1', 'ABCDEFGH');
    expect(codes.verify(foreign)).toBeNull();
  });

  it('when the payload is garbage, then it is refused without throwing', () => {
    expect(codes.verify('')).toBeNull();
    expect(codes.verify('LSQ1....')).toBeNull();
  });
});
