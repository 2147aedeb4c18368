/**
 * Personal data at rest: field-level encryption (AES-256-GCM, with a key id in
 * every ciphertext so keys can rotate) and blind indexes (keyed HMAC-SHA-256)
 * for uniqueness and exact lookup without storing the value. Node's own
 * crypto does the work; this module only fixes the format and the key rules.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { env } from '@learning/config';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'v1';
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export class PiiKeyError extends Error {
  override readonly name = 'PiiKeyError';
}

/** The variables a service holding personal data adds to its schema. */
export const piiEnv = {
  /** `id:base64key,id:base64key`: the first encrypts, all decrypt (rotation keeps old ids). */
  PII_ENCRYPTION_KEYS: env.string(),
  /** Base64, at least 32 bytes: the blind-index key. Changing it orphans every index. */
  PII_HASH_KEY: env.string(),
};

export interface PiiKeys {
  /** Key id → 32-byte key; `current` must be among them. */
  readonly encryption: ReadonlyMap<string, Buffer>;
  readonly current: string;
  readonly hash: Buffer;
}

/** Reads the two variables of `piiEnv`, naming every problem without echoing a key. */
export function piiKeysFrom(config: {
  readonly PII_ENCRYPTION_KEYS: string;
  readonly PII_HASH_KEY: string;
}): PiiKeys {
  const encryption = new Map<string, Buffer>();
  for (const item of config.PII_ENCRYPTION_KEYS.split(',')) {
    const separator = item.indexOf(':');
    const id = item.slice(0, separator).trim();
    const key = Buffer.from(item.slice(separator + 1).trim(), 'base64');
    if (separator <= 0 || !KEY_ID_PATTERN.test(id))
      throw new PiiKeyError(
        'PII_ENCRYPTION_KEYS: each entry is <id>:<base64 key>, id of [A-Za-z0-9_-].',
      );
    if (key.length !== KEY_BYTES)
      throw new PiiKeyError(`PII_ENCRYPTION_KEYS: key "${id}" must decode to ${KEY_BYTES} bytes.`);
    if (encryption.has(id)) throw new PiiKeyError(`PII_ENCRYPTION_KEYS: key id "${id}" repeats.`);
    encryption.set(id, key);
  }
  const current = config.PII_ENCRYPTION_KEYS.split(':')[0]?.trim() ?? '';
  const hash = Buffer.from(config.PII_HASH_KEY, 'base64');
  if (hash.length < KEY_BYTES)
    throw new PiiKeyError(`PII_HASH_KEY must decode to at least ${KEY_BYTES} bytes.`);
  return { encryption, current, hash };
}

/** Fresh keys in the variables' format, for a local stack or a test; never for production. */
export function generatePiiEnvironment(): { PII_ENCRYPTION_KEYS: string; PII_HASH_KEY: string } {
  return {
    PII_ENCRYPTION_KEYS: `k1:${randomBytes(KEY_BYTES).toString('base64')}`,
    PII_HASH_KEY: randomBytes(KEY_BYTES).toString('base64'),
  };
}

export interface PiiVault {
  /** `v1.<keyId>.<iv>.<tag>.<ciphertext>`, base64url parts; a fresh IV every time. */
  encrypt(plaintext: string): string;
  /** Throws PiiKeyError for an unknown key id; a tampered value fails authentication. */
  decrypt(sealed: string): string;
  /**
   * A deterministic keyed hash, separated by `purpose` ('id-number', 'phone')
   * so equal values of different kinds never share an index entry.
   */
  blindIndex(purpose: string, value: string): string;
  /** Whether `sealed` was encrypted under an older key and should be re-encrypted. */
  isStale(sealed: string): boolean;
}

export function createPiiVault(keys: PiiKeys): PiiVault {
  const currentKey = keys.encryption.get(keys.current);
  if (currentKey === undefined)
    throw new PiiKeyError(`Current key "${keys.current}" is not in the keyring.`);

  const keyOf = (id: string): Buffer => {
    const key = keys.encryption.get(id);
    if (key === undefined) throw new PiiKeyError(`No key "${id}" to decrypt with.`);
    return key;
  };

  return {
    encrypt(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, currentKey, iv);
      // The key id is authenticated too: a value cannot be moved under another key.
      cipher.setAAD(Buffer.from(keys.current));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [FORMAT, keys.current, iv, cipher.getAuthTag(), body]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    decrypt(sealed) {
      const [format, keyId, iv, tag, body, ...rest] = sealed.split('.');
      if (
        format !== FORMAT ||
        keyId === undefined ||
        iv === undefined ||
        tag === undefined ||
        body === undefined ||
        rest.length > 0
      )
        throw new PiiKeyError('Not a sealed value of this format.');
      const decipher = createDecipheriv(ALGORITHM, keyOf(keyId), Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(body, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    },
    blindIndex(purpose, value) {
      return createHmac('sha256', keys.hash)
        .update(purpose)
        .update('\0')
        .update(value)
        .digest('hex');
    },
    isStale(sealed) {
      return sealed.split('.')[1] !== keys.current;
    },
  };
}
