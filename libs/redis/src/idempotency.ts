import { assertPositiveInteger } from './assert.js';
import type { RedisClient } from './client.js';
import { assertKeyPart, redisKey } from './keys.js';

export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type IdempotencyBegin =
  | { state: 'started' }
  | { state: 'replay'; response: StoredResponse }
  | { state: 'in_progress' }
  | { state: 'mismatch' };

export interface IdempotencyStoreOptions {
  /** Names the store, e.g. the service; entries live under `ls:idem:<name>:<key>`. */
  name: string;
  /** How long a completed response is kept for replay. */
  ttlSeconds: number;
  /** How long a claim lives if its owner neither completes nor abandons it (a crash). Default 60. */
  inProgressTtlSeconds?: number;
}

const DEFAULT_IN_PROGRESS_TTL_SECONDS = 60;

// Each entry is a hash {fingerprint, state, response}. The scripts keep every
// check-and-write atomic, so two replicas racing on one key see one winner.

/** Claims the key if free (-> nil); otherwise returns {fingerprint, state, response}. */
const BEGIN_SCRIPT = `
if redis.call('exists', KEYS[1]) == 1 then
  return redis.call('hmget', KEYS[1], 'fingerprint', 'state', 'response')
end
redis.call('hset', KEYS[1], 'fingerprint', ARGV[1], 'state', 'in_progress')
redis.call('expire', KEYS[1], ARGV[2])
return nil`;

/**
 * Stores the response unless another request (a different fingerprint) has
 * claimed the key since this one's claim expired.
 */
const COMPLETE_SCRIPT = `
local fingerprint = redis.call('hget', KEYS[1], 'fingerprint')
if fingerprint and fingerprint ~= ARGV[1] then return 0 end
redis.call('hset', KEYS[1], 'fingerprint', ARGV[1], 'state', 'done', 'response', ARGV[2])
redis.call('expire', KEYS[1], ARGV[3])
return 1`;

/** Releases a claim; a completed entry stays so it can still be replayed. */
const ABANDON_SCRIPT = `
if redis.call('hget', KEYS[1], 'state') == 'in_progress' then
  return redis.call('del', KEYS[1])
end
return 0`;

/**
 * Remembers responses to requests carrying an `Idempotency-Key`, so a retried
 * request is answered with the first response instead of acting twice. The
 * fingerprint (a caller-computed hash of method, route, body and principal)
 * detects a key reused for a different request.
 */
export class IdempotencyStore {
  readonly #client: RedisClient;
  readonly #name: string;
  readonly #ttlSeconds: number;
  readonly #inProgressTtlSeconds: number;

  constructor(client: RedisClient, options: IdempotencyStoreOptions) {
    assertKeyPart(options.name);
    assertPositiveInteger('ttlSeconds', options.ttlSeconds);
    const inProgressTtlSeconds = options.inProgressTtlSeconds ?? DEFAULT_IN_PROGRESS_TTL_SECONDS;
    assertPositiveInteger('inProgressTtlSeconds', inProgressTtlSeconds);
    this.#client = client;
    this.#name = options.name;
    this.#ttlSeconds = options.ttlSeconds;
    this.#inProgressTtlSeconds = inProgressTtlSeconds;
  }

  async begin(key: string, fingerprint: string): Promise<IdempotencyBegin> {
    assertFingerprint(fingerprint);
    const reply = await this.#client.eval(BEGIN_SCRIPT, {
      keys: [this.#key(key)],
      arguments: [fingerprint, String(this.#inProgressTtlSeconds)],
    });
    if (reply === null) return { state: 'started' };
    const [storedFingerprint, state, response] = asEntry(reply);
    if (storedFingerprint !== fingerprint) return { state: 'mismatch' };
    if (state === 'done' && response !== null)
      return { state: 'replay', response: parseResponse(response) };
    return { state: 'in_progress' };
  }

  async complete(key: string, fingerprint: string, response: StoredResponse): Promise<void> {
    assertFingerprint(fingerprint);
    await this.#client.eval(COMPLETE_SCRIPT, {
      keys: [this.#key(key)],
      arguments: [fingerprint, JSON.stringify(response), String(this.#ttlSeconds)],
    });
  }

  async abandon(key: string): Promise<void> {
    await this.#client.eval(ABANDON_SCRIPT, { keys: [this.#key(key)] });
  }

  #key(key: string): string {
    return redisKey('idem', this.#name, key);
  }
}

type Entry = [fingerprint: string | null, state: string | null, response: string | null];

function asEntry(reply: unknown): Entry {
  if (
    Array.isArray(reply) &&
    reply.length === 3 &&
    reply.every((item) => item === null || typeof item === 'string')
  ) {
    return reply as Entry;
  }
  throw new Error('Unexpected reply from the idempotency script.');
}

function parseResponse(raw: string): StoredResponse {
  const value: unknown = JSON.parse(raw);
  if (isStoredResponse(value)) return value;
  throw new Error('A stored idempotent response is malformed.');
}

function isStoredResponse(value: unknown): value is StoredResponse {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate['statusCode'] === 'number' &&
    typeof candidate['body'] === 'string' &&
    typeof candidate['headers'] === 'object' &&
    candidate['headers'] !== null &&
    Object.values(candidate['headers']).every((header) => typeof header === 'string')
  );
}

function assertFingerprint(fingerprint: string): void {
  if (fingerprint.length === 0) throw new RangeError('The request fingerprint must not be empty.');
}
