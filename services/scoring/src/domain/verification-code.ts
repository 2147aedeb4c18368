/**
 * Verification codes of exported learning records. A code is 10 random bytes
 * and the first 5 bytes of an HMAC-SHA256 over the prefix and those bytes,
 * in Crockford base32 (no I, L, O, U; read case-insensitively, O as 0 and
 * I, L as 1, so a code read aloud or retyped still checks), in groups of
 * four: `LS26-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`, 26 the record's year. Only
 * the holder of the key can make one that checks, so an altered or invented
 * code is refused before anything is looked up.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { base32crockford } from '@scure/base';

export const RANDOM_BYTES = 10;
const MAC_BYTES = 5;
/** `LS`, the year's last two digits, 16 characters of random part and 8 of MAC. */
const CODE = /^LS(\d{2})([0-9A-HJKMNP-TV-Z]{24})$/;

const macOf = (key: Uint8Array, prefix: string, random: Uint8Array): Buffer =>
  createHmac('sha256', key).update(prefix).update(random).digest().subarray(0, MAC_BYTES);

const prefixOf = (year: number): string => `LS${String(year % 100).padStart(2, '0')}`;

/** A new code for a record of `year`, from `random` (RANDOM_BYTES of them) and the key. */
export function issueCode(key: Uint8Array, year: number, random: Uint8Array): string {
  if (random.length !== RANDOM_BYTES)
    throw new RangeError(`A code needs ${RANDOM_BYTES} random bytes.`);
  const prefix = prefixOf(year);
  const body = base32crockford.encode(Buffer.concat([random, macOf(key, prefix, random)]));
  return [prefix, ...(body.match(/.{4}/g) ?? [])].join('-');
}

/**
 * The code in its one written form when it is one the key signed, else null:
 * malformed, mistyped or altered. Spaces and hyphens are ignored.
 */
export function checkCode(key: Uint8Array, text: string): string | null {
  const compact = text.replace(/[\s-]/g, '').toUpperCase();
  // Only the base32 part is read leniently: the prefix's L is a letter.
  const match = CODE.exec(
    `${compact.slice(0, 4)}${compact.slice(4).replace(/O/g, '0').replace(/[IL]/g, '1')}`,
  );
  if (match?.[2] === undefined) return null;
  const prefix = `LS${match[1] ?? ''}`;
  const bytes = base32crockford.decode(match[2]);
  const random = bytes.subarray(0, RANDOM_BYTES);
  const mac = bytes.subarray(RANDOM_BYTES);
  const expected = macOf(key, prefix, random);
  if (!timingSafeEqual(mac, expected)) return null;
  return [prefix, ...(match[2].match(/.{4}/g) ?? [])].join('-');
}
