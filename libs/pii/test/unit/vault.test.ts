import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createPiiVault,
  generatePiiEnvironment,
  PiiKeyError,
  piiKeysFrom,
} from '../../src/index.js';

const idNumber = '110101199003074514';
const keyOf = () => randomBytes(32).toString('base64');

describe('PII vault', () => {
  const environment = generatePiiEnvironment();
  const vault = createPiiVault(piiKeysFrom(environment));

  it('when a value is encrypted, then it decrypts to itself and the ciphertext does not contain it', () => {
    const sealed = vault.encrypt(idNumber);
    expect(sealed).not.toContain(idNumber);
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(vault.decrypt(sealed)).toBe(idNumber);
  });

  it('when the same value is encrypted twice, then the ciphertexts differ (a fresh IV each time)', () => {
    expect(vault.encrypt(idNumber)).not.toBe(vault.encrypt(idNumber));
  });

  it('when a ciphertext is tampered with, then decryption fails instead of returning garbage', () => {
    const sealed = vault.encrypt(idNumber);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => vault.decrypt(parts.join('.'))).toThrow();
  });

  it('when keys rotate, then old values still decrypt and are reported stale', () => {
    const oldKey = keyOf();
    const before = createPiiVault(
      piiKeysFrom({ PII_ENCRYPTION_KEYS: `k1:${oldKey}`, PII_HASH_KEY: environment.PII_HASH_KEY }),
    );
    const after = createPiiVault(
      piiKeysFrom({
        PII_ENCRYPTION_KEYS: `k2:${keyOf()},k1:${oldKey}`,
        PII_HASH_KEY: environment.PII_HASH_KEY,
      }),
    );
    const sealed = before.encrypt(idNumber);
    expect(after.decrypt(sealed)).toBe(idNumber);
    expect(after.isStale(sealed)).toBe(true);
    expect(after.isStale(after.encrypt(idNumber))).toBe(false);
  });

  it('when a key id is unknown, then decryption names the problem', () => {
    const other = createPiiVault(
      piiKeysFrom({ PII_ENCRYPTION_KEYS: `k9:${keyOf()}`, PII_HASH_KEY: keyOf() }),
    );
    expect(() => vault.decrypt(other.encrypt(idNumber))).toThrow(PiiKeyError);
  });

  it('when blind indexes are taken, then equal values match, purposes and keys separate them', () => {
    expect(vault.blindIndex('id-number', idNumber)).toBe(vault.blindIndex('id-number', idNumber));
    expect(vault.blindIndex('id-number', idNumber)).not.toBe(vault.blindIndex('phone', idNumber));
    const otherKey = createPiiVault(piiKeysFrom(generatePiiEnvironment()));
    expect(otherKey.blindIndex('id-number', idNumber)).not.toBe(
      vault.blindIndex('id-number', idNumber),
    );
    expect(vault.blindIndex('id-number', idNumber)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['no id', `:${keyOf()}`, keyOf(), /each entry/],
    ['a short key', `k1:${randomBytes(16).toString('base64')}`, keyOf(), /32 bytes/],
    ['a repeated id', `k1:${keyOf()},k1:${keyOf()}`, keyOf(), /repeats/],
    ['a short hash key', `k1:${keyOf()}`, randomBytes(8).toString('base64'), /PII_HASH_KEY/],
  ])(
    'when the keys have %s, then they are refused without echoing a key',
    (_, keys, hash, message) => {
      let thrown: unknown;
      try {
        piiKeysFrom({ PII_ENCRYPTION_KEYS: keys, PII_HASH_KEY: hash });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(PiiKeyError);
      expect((thrown as Error).message).toMatch(message);
      expect((thrown as Error).message).not.toContain(keys.split(':')[1]?.slice(0, 12) ?? '#');
    },
  );
});
