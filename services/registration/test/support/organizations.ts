/** Organizations for tests: valid unified social credit codes. */

const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Completes 17 characters with the GB 32100 check character. */
export function validCreditCode(first17: string): string {
  const sum = CREDIT_CODE_WEIGHTS.reduce(
    (total, weight, i) => total + CREDIT_CODE_ALPHABET.indexOf(first17.charAt(i)) * weight,
    0,
  );
  return `${first17}${CREDIT_CODE_ALPHABET.charAt((31 - (sum % 31)) % 31)}`;
}
