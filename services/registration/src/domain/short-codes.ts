/**
 * Short codes people read, type or print: 8 characters from an alphabet
 * without look-alikes (no 0/O, 1/I/L), about 40 random bits. Check-in codes
 * (typed by an officer when a QR code will not scan) and claim codes (handed
 * to a person on a slip) are both.
 */
export const SHORT_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const SHORT_CODE_LENGTH = 8;
export const SHORT_CODE_PATTERN = `^[${SHORT_CODE_ALPHABET}]{${SHORT_CODE_LENGTH}}$`;

/** A code from random bytes (at least 8); each byte picks one character. */
export function shortCodeFrom(randomBytes: Uint8Array): string {
  if (randomBytes.length < SHORT_CODE_LENGTH)
    throw new RangeError(`A short code needs ${SHORT_CODE_LENGTH} random bytes.`);
  let code = '';
  for (let i = 0; i < SHORT_CODE_LENGTH; i += 1) {
    // Rejection-free: 256 mod 31 leaves a bias under 1 %, irrelevant for codes that are
    // rate-limited, expire, or are only good with the record they belong to.
    code += SHORT_CODE_ALPHABET.charAt((randomBytes[i] ?? 0) % SHORT_CODE_ALPHABET.length);
  }
  return code;
}

/** People type codes in lower case and with spaces or hyphens; the stored form is upper case. */
export const normalizeShortCode = (raw: string): string => raw.replace(/[\s-]/g, '').toUpperCase();

const SHORT_CODE = new RegExp(SHORT_CODE_PATTERN);

export const isShortCode = (code: string): boolean => SHORT_CODE.test(code);
