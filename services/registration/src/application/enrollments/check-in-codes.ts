/** Check-in codes from a secure random source, and QR payloads signed with a keyed MAC. */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parseQrPayload, qrPayloadOf, qrSignedPart } from '../../domain/enrollment.js';
import { SHORT_CODE_LENGTH, shortCodeFrom } from '../../domain/short-codes.js';
import type { CheckInCodes } from './ports.js';

/** 128 bits of the MAC, base64url: forging one is out of reach, and the QR code stays small. */
const SIGNATURE_LENGTH = 22;

/** `mac` is a keyed hash (HMAC-SHA-256 hex), e.g. the PII vault's blind index under its own purpose. */
export function checkInCodes(mac: (text: string) => string): CheckInCodes {
  const signatureOf = (text: string): string =>
    Buffer.from(mac(text), 'hex').toString('base64url').slice(0, SIGNATURE_LENGTH);
  return {
    newCode: () => shortCodeFrom(randomBytes(SHORT_CODE_LENGTH)),
    qrPayload: (enrollmentId, code) =>
      qrPayloadOf({ enrollmentId, code }, signatureOf(qrSignedPart({ enrollmentId, code }))),
    verify(payload) {
      const parsed = parseQrPayload(payload);
      if (parsed === null) return null;
      const expected = Buffer.from(signatureOf(qrSignedPart(parsed.content)));
      const given = Buffer.from(parsed.signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      return parsed.content;
    },
  };
}
