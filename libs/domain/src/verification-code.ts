/**
 * Verification codes of what the city certifies (scoring's learning records,
 * training certificates). A code is 10 random bytes and the first 5 bytes of
 * an HMAC-SHA256 over the prefix and those bytes, in Crockford base32 (no I,
 * L, O, U; read case-insensitively, O as 0 and I, L as 1, so a code read
 * aloud or retyped still checks), in groups of four:
 * `LS26-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`, `LS` the kind of document and 26 its
 * year. Only the holder of the key can make one that checks, so an altered or
 * invented code is refused before anything is looked up; the kind is signed
 * too, so a code of one kind never checks as another.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { base32crockford } from '@scure/base';

export const VERIFICATION_CODE_RANDOM_BYTES = 10;
const MAC_BYTES = 5;
/** Two capital letters naming the kind of document: `LS` learning records, `TC` training certificates. */
const KIND = /^[A-Z]{2}$/;
/** The kind, the year's last two digits, 16 characters of random part and 8 of MAC. */
const CODE = /^([A-Z]{2})(\d{2})([0-9A-HJKMNP-TV-Z]{24})$/;

const macOf = (key: Uint8Array, prefix: string, random: Uint8Array): Buffer =>
  createHmac('sha256', key).update(prefix).update(random).digest().subarray(0, MAC_BYTES);

function prefixOf(kind: string, year: number): string {
  if (!KIND.test(kind)) throw new RangeError('A code kind is two capital letters.');
  return `${kind}${String(year % 100).padStart(2, '0')}`;
}

/** A new code of `kind` for a document of `year`, from `random` (VERIFICATION_CODE_RANDOM_BYTES of them) and the key. */
export function issueVerificationCode(
  key: Uint8Array,
  kind: string,
  year: number,
  random: Uint8Array,
): string {
  if (random.length !== VERIFICATION_CODE_RANDOM_BYTES)
    throw new RangeError(`A code needs ${VERIFICATION_CODE_RANDOM_BYTES} random bytes.`);
  const prefix = prefixOf(kind, year);
  const body = base32crockford.encode(Buffer.concat([random, macOf(key, prefix, random)]));
  return [prefix, ...(body.match(/.{4}/g) ?? [])].join('-');
}

/**
 * The code in its one written form when it is one of `kind` the key signed,
 * else null: malformed, mistyped, altered or of another kind. Spaces and
 * hyphens are ignored.
 */
export function checkVerificationCode(key: Uint8Array, kind: string, text: string): string | null {
  const compact = text.replace(/[\s-]/g, '').toUpperCase();
  // Only the base32 part is read leniently: the kind's letters are letters.
  const match = CODE.exec(
    `${compact.slice(0, 4)}${compact.slice(4).replace(/O/g, '0').replace(/[IL]/g, '1')}`,
  );
  if (match?.[3] === undefined || match[1] !== kind) return null;
  const prefix = `${kind}${match[2] ?? ''}`;
  const bytes = base32crockford.decode(match[3]);
  const random = bytes.subarray(0, VERIFICATION_CODE_RANDOM_BYTES);
  const mac = bytes.subarray(VERIFICATION_CODE_RANDOM_BYTES);
  if (!timingSafeEqual(mac, macOf(key, prefix, random))) return null;
  return [prefix, ...(match[3].match(/.{4}/g) ?? [])].join('-');
}
