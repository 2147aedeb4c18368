/**
 * Configuration is read from the environment once, at start, against one
 * schema per service. Keys of the schema are the variable names themselves, so
 * every variable is declared exactly once; the result is typed and frozen.
 */
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`,
    );
  }
}

export type Config<T extends TObject> = Readonly<Static<T>>;

type Environment = Readonly<Record<string, string | undefined>>;

export function loadConfig<T extends TObject>(
  schema: T,
  env: Environment = process.env,
): Config<T> {
  const candidate: Record<string, unknown> = {};
  for (const name of Object.keys(schema.properties)) {
    const raw = env[name];
    // An empty variable means "not set": `FOO= cmd` must fall back to the default.
    if (raw !== undefined && raw !== '') candidate[name] = raw;
  }
  const withDefaults = Value.Default(schema, candidate);
  const converted = Value.Convert(schema, withDefaults);
  const problems = [...Value.Errors(schema, converted)].map((error) => {
    const name = error.path.replace(/^\//, '');
    if (env[name] === undefined || env[name] === '') return `${name} is required but not set`;
    return `${name}: ${error.message} (got ${describeValue(name, env[name])})`;
  });
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return deepFreeze(converted as Static<T>);
}

// Values of secrets never reach an error message, and neither do long ones.
function describeValue(name: string, value: string): string {
  if (/SECRET|PASSWORD|TOKEN|KEY/i.test(name)) return 'a hidden value';
  return value.length > 60 ? `"${value.slice(0, 57)}..."` : `"${value}"`;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Reusable variable types. Each accepts the string form the environment holds. */
export const env = {
  string: (options: { default?: string; minLength?: number } = {}) =>
    Type.String({
      minLength: options.minLength ?? 1,
      ...(options.default === undefined ? {} : { default: options.default }),
    }),
  port: (defaultPort?: number) =>
    Type.Integer({
      minimum: 0,
      maximum: 65535,
      ...(defaultPort === undefined ? {} : { default: defaultPort }),
    }),
  integer: (options: { default?: number; minimum?: number; maximum?: number } = {}) =>
    Type.Integer(options),
  boolean: (defaultValue?: boolean) =>
    Type.Boolean(defaultValue === undefined ? {} : { default: defaultValue }),
  url: (options: { default?: string; protocols?: readonly string[] } = {}) =>
    Type.String({
      pattern: `^(${(options.protocols ?? ['http', 'https']).join('|')})://.+`,
      ...(options.default === undefined ? {} : { default: options.default }),
    }),
  /** A comma-separated list kept as the raw string; split it with `listOf`. */
  list: (options: { default?: string } = {}) =>
    Type.String({
      pattern: '^[^,]+(,[^,]+)*$',
      ...(options.default === undefined ? {} : { default: options.default }),
    }),
  oneOf: <const V extends readonly [string, ...string[]]>(values: V, defaultValue?: V[number]) =>
    Type.Union(
      values.map((value) => Type.Literal(value)),
      defaultValue === undefined ? {} : { default: defaultValue },
    ),
  optional: <S extends TSchema>(schema: S) => Type.Optional(schema),
};

/** HTTP_TRUSTED_PROXIES as fastify's `trustProxy` takes it: hops, addresses, or false for none. */
export function trustedProxiesOf(value: string | undefined): number | string[] | false {
  if (value === undefined) return false;
  if (/^\d+$/.test(value)) return Number(value) === 0 ? false : Number(value);
  return listOf(value);
}

export const listOf = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/** An IPv4 or IPv6 address, with an optional CIDR prefix length. */
const ADDRESS = '[0-9A-Fa-f:.]+(/\\d{1,3})?';

/** An origin as browsers send it: scheme, host and optional port, nothing after. */
const ORIGIN = 'https?://[^/,\\s]+';

/**
 * Variables every service has. A service spreads these into its own schema so
 * the names and defaults are the same everywhere.
 */
export const commonEnv = {
  /** `production` in a city's deployment: what only development tolerates is refused there. */
  NODE_ENV: env.oneOf(['development', 'test', 'production'], 'development'),
  /** The least level of log line written (pino); personal data is redacted at every level. */
  LOG_LEVEL: env.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  /** The address and port the REST API (and /docs, /healthz, /readyz, /metrics) listens on; port 0: any free one. */
  HTTP_HOST: env.string({ default: '127.0.0.1' }),
  HTTP_PORT: env.port(0),
  /** The address and port the gRPC server (and grpc.health.v1) listens on; port 0: any free one. */
  GRPC_HOST: env.string({ default: '127.0.0.1' }),
  GRPC_PORT: env.port(0),
  /** On SIGTERM, how long requests and messages in hand may take to finish before the process exits. */
  SHUTDOWN_GRACE_MS: env.integer({ default: 10_000, minimum: 0 }),
  /** Requests one client (subject, else address) may make per window on routes without their own limit. */
  HTTP_RATE_LIMIT_POINTS: env.integer({ default: 600, minimum: 1 }),
  HTTP_RATE_LIMIT_WINDOW_SECONDS: env.integer({ default: 60, minimum: 1 }),
  /**
   * Which proxies in front of the service to believe about the client's address
   * (X-Forwarded-For), for rate limits: a hop count (`1`: the ingress) or
   * comma-separated addresses and CIDR ranges of the proxies. Unset or `0`:
   * none, the socket's peer is the client. Split it with `trustedProxiesOf`.
   */
  HTTP_TRUSTED_PROXIES: env.optional(
    Type.String({
      pattern: `^(\\d{1,2}|${ADDRESS}(,${ADDRESS})*)$`,
      description: 'A hop count, or comma-separated addresses and CIDR ranges.',
    }),
  ),
  /**
   * The portals' browser origins granted cross-origin access, comma-separated
   * (`https://xuexi.city.example,https://admin.city.example`); unset: none.
   */
  HTTP_CORS_ORIGINS: env.optional(
    Type.String({ pattern: `^${ORIGIN}(,${ORIGIN})*$`, description: 'Comma-separated origins.' }),
  ),
};

export const mongoEnv = {
  /** The MongoDB connection string (a replica set in production), credentials included. */
  MONGODB_URI: env.url({
    protocols: ['mongodb', 'mongodb\\+srv'],
    default: 'mongodb://127.0.0.1:27017',
  }),
  /** The service's own database: no other service reads or writes it. */
  MONGODB_DATABASE: env.string(),
};

export const kafkaEnv = {
  /** Bootstrap brokers, `host:port`, comma-separated. */
  KAFKA_BROKERS: env.list({ default: '127.0.0.1:9092' }),
  /** The client id the brokers see (quotas, logs); unset: the service's name. */
  KAFKA_CLIENT_ID: env.optional(env.string()),
  /** How long an empty fetch is held; short locally, longer against real clusters. */
  KAFKA_MAX_WAIT_MS: env.integer({ default: 500, minimum: 10, maximum: 30_000 }),
  KAFKA_SESSION_TIMEOUT_MS: env.integer({ default: 30_000, minimum: 1_000 }),
  KAFKA_HEARTBEAT_INTERVAL_MS: env.integer({ default: 3_000, minimum: 100 }),
  /**
   * Prefixes every consumer group id (`<namespace>.<group>`), so two environments,
   * or two independent test processes, can share one cluster without sharing offsets or members.
   */
  KAFKA_GROUP_NAMESPACE: env.optional(env.string()),
  /**
   * Where a consumer group without committed offsets starts: `earliest` reads its topics'
   * whole history; `latest` starts at their ends as the app starts (start waits until it
   * holds its positions), for environments that must not replay what came before them.
   */
  KAFKA_AUTO_OFFSET_RESET: env.oneOf(['earliest', 'latest'], 'earliest'),
};

export const redisEnv = {
  /** Redis for rate limits, idempotency keys, locks, caches and leaderboards. */
  REDIS_URL: env.url({ protocols: ['redis', 'rediss'], default: 'redis://127.0.0.1:6379' }),
};

export const authEnv = {
  /** The `iss` and `aud` every bearer token must carry: the city's identity provider's. */
  JWT_ISSUER: env.string({ default: 'learning-society-local' }),
  JWT_AUDIENCE: env.string({ default: 'learning-society' }),
  /** Either a JWKS URL or a PEM public key / shared secret; one must be set. */
  JWT_JWKS_URL: env.optional(env.url()),
  JWT_PUBLIC_KEY: env.optional(env.string()),
  /** The longest life (exp - iat) a person's token may have; longer ones are refused. */
  JWT_MAX_PERSON_TOKEN_SECONDS: env.integer({ default: 12 * 3_600, minimum: 60 }),
  /** The same for a service's token (role `service`). */
  JWT_MAX_SERVICE_TOKEN_SECONDS: env.integer({ default: 24 * 3_600, minimum: 60 }),
};

/** The fewest bytes of key an HMAC-SHA256 verification code is signed with. */
export const VERIFICATION_KEY_MIN_BYTES = 32;

/** For the services that issue verification codes (scoring's records, activities' training certificates). */
export const verificationKeyEnv = {
  /**
   * Base64, at least 32 bytes: the key the service's verification codes are
   * signed with (HMAC). Changing it makes every issued code unverifiable.
   */
  VERIFICATION_KEY: env.string(),
};

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Names what is wrong with VERIFICATION_KEY without echoing it. */
export function verificationKeyProblems(config: { readonly VERIFICATION_KEY: string }): string[] {
  const key = config.VERIFICATION_KEY;
  return BASE64.test(key) && Buffer.from(key, 'base64').length >= VERIFICATION_KEY_MIN_BYTES
    ? []
    : [`VERIFICATION_KEY must be base64 of at least ${VERIFICATION_KEY_MIN_BYTES} bytes`];
}
