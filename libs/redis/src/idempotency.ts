import DataLoader from 'dataloader';
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

// The claims and completions asked for in one turn of the event loop go to
// Redis as one script call over all their keys (a surge's requests share round
// trips); keys are handled in the order asked, so the same key twice in one
// call sees the first claim.

/**
 * For each key in turn (ARGV[1]: the claim's TTL, ARGV[1 + i]: the i-th
 * fingerprint): claims it if free (-> {}), else returns its {fingerprint, state, response}.
 */
const BEGIN_SCRIPT = `
local found = {}
for i, key in ipairs(KEYS) do
  if redis.call('exists', key) == 1 then
    found[i] = redis.call('hmget', key, 'fingerprint', 'state', 'response')
  else
    redis.call('hset', key, 'fingerprint', ARGV[1 + i], 'state', 'in_progress')
    redis.call('expire', key, ARGV[1])
    found[i] = {}
  end
end
return found`;

/**
 * For each key in turn (ARGV[1]: the TTL, ARGV[2i], ARGV[2i + 1]: the i-th
 * fingerprint and response): stores the response unless another request (a
 * different fingerprint) has claimed the key since this one's claim expired.
 */
const COMPLETE_SCRIPT = `
for i, key in ipairs(KEYS) do
  local fingerprint = redis.call('hget', key, 'fingerprint')
  if not fingerprint or fingerprint == ARGV[2 * i] then
    redis.call('hset', key, 'fingerprint', ARGV[2 * i], 'state', 'done', 'response', ARGV[2 * i + 1])
    redis.call('expire', key, ARGV[1])
  end
end
return 1`;

/** Keys per script call: bounds the time one call holds Redis. */
const MAX_KEYS_PER_CALL = 500;

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
  readonly #begins: DataLoader<{ key: string; fingerprint: string }, Entry | null>;
  readonly #completions: DataLoader<
    { key: string; fingerprint: string; response: string },
    undefined
  >;

  constructor(client: RedisClient, options: IdempotencyStoreOptions) {
    assertKeyPart(options.name);
    assertPositiveInteger('ttlSeconds', options.ttlSeconds);
    const inProgressTtlSeconds = options.inProgressTtlSeconds ?? DEFAULT_IN_PROGRESS_TTL_SECONDS;
    assertPositiveInteger('inProgressTtlSeconds', inProgressTtlSeconds);
    this.#client = client;
    this.#name = options.name;
    this.#ttlSeconds = options.ttlSeconds;
    this.#inProgressTtlSeconds = inProgressTtlSeconds;
    const batching = {
      cache: false,
      maxBatchSize: MAX_KEYS_PER_CALL,
      // After the event loop's I/O phase: every request read in it joins the call.
      batchScheduleFn: (send: () => void) => setImmediate(send),
    } as const;
    this.#begins = new DataLoader(async (claims) => {
      const reply = await this.#client.eval(BEGIN_SCRIPT, {
        keys: claims.map((claim) => this.#key(claim.key)),
        arguments: [
          String(this.#inProgressTtlSeconds),
          ...claims.map((claim) => claim.fingerprint),
        ],
      });
      return asEntries(reply, claims.length);
    }, batching);
    this.#completions = new DataLoader(async (completions) => {
      await this.#client.eval(COMPLETE_SCRIPT, {
        keys: completions.map((completion) => this.#key(completion.key)),
        arguments: [
          String(this.#ttlSeconds),
          ...completions.flatMap((completion) => [completion.fingerprint, completion.response]),
        ],
      });
      return completions.map(() => undefined);
    }, batching);
  }

  async begin(key: string, fingerprint: string): Promise<IdempotencyBegin> {
    assertFingerprint(fingerprint);
    const entry = await this.#begins.load({ key, fingerprint });
    if (entry === null) return { state: 'started' };
    const [storedFingerprint, state, response] = entry;
    if (storedFingerprint !== fingerprint) return { state: 'mismatch' };
    if (state === 'done' && response !== null)
      return { state: 'replay', response: parseResponse(response) };
    return { state: 'in_progress' };
  }

  async complete(key: string, fingerprint: string, response: StoredResponse): Promise<void> {
    assertFingerprint(fingerprint);
    await this.#completions.load({ key, fingerprint, response: JSON.stringify(response) });
  }

  async abandon(key: string): Promise<void> {
    await this.#client.eval(ABANDON_SCRIPT, { keys: [this.#key(key)] });
  }

  #key(key: string): string {
    return redisKey('idem', this.#name, key);
  }
}

type Entry = [fingerprint: string | null, state: string | null, response: string | null];

/** Per key: null when this call claimed it, else its stored entry. */
function asEntries(reply: unknown, count: number): (Entry | null)[] {
  if (!Array.isArray(reply) || reply.length !== count)
    throw new Error('Unexpected reply from the idempotency script.');
  return reply.map((item: unknown) => {
    if (Array.isArray(item) && item.length === 0) return null;
    if (
      Array.isArray(item) &&
      item.length === 3 &&
      item.every((field) => field === null || typeof field === 'string')
    )
      return item as Entry;
    throw new Error('Unexpected reply from the idempotency script.');
  });
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
