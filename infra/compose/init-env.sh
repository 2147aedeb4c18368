#!/usr/bin/env bash
# Makes the keys and service tokens the compose stack (and the local Kubernetes overlay) reads:
#
#   infra/compose/.secrets/keys.env      JWT_PUBLIC_KEY, read by every service
#   infra/compose/.secrets/mongo.env     the compose MongoDB's root password and one password per
#                                        service (its user may use its own database only)
#   infra/compose/.secrets/mongo-keyfile the replica set's member key (access control needs one)
#   infra/compose/.secrets/<service>.env what that service alone reads: its MONGODB_URI (its own
#                                        MongoDB user and database), registration's
#                                        PII_ENCRYPTION_KEYS, PII_HASH_KEY, SEATING_SERVICE_TOKEN and
#                                        PERSONAL_DATA_SERVICE_TOKEN,
#                                        activities' REGISTRATION_SERVICE_TOKEN, LECTURES_SERVICE_TOKEN and
#                                        VERIFICATION_KEY, lectures' own
#                                        PII_ENCRYPTION_KEYS and PII_HASH_KEY, REGISTRATION_SERVICE_TOKEN
#                                        and ACTIVITIES_SERVICE_TOKEN, scoring's VERIFICATION_KEY,
#                                        REGISTRATION_SERVICE_TOKEN, ACTIVITIES_SERVICE_TOKEN and
#                                        LECTURES_SERVICE_TOKEN, notifications' own PII_ENCRYPTION_KEYS
#                                        and PII_HASH_KEY and its REGISTRATION_SERVICE_TOKEN
#   k8s/overlays/local/secrets/JWT_PUBLIC_KEY, k8s/overlays/local/secrets/<service>/<NAME>
#                                        the same values, one file each, for kustomize's secretGenerator
#   infra/local/.run/jwt-{private,public}.pem
#                                        the local token issuer's ES256 pair, shared with infra/local so that
#                                        `pnpm --silent token --role city_admin` mints tokens both stacks accept
#
# The service tokens are what one service presents to another's gRPC server: role `service`,
# `svc` the caller's name, the whole city, signed by the local issuer, valid for a year. They are
# static, as the services expect today; a client-credentials flow that renews them is future work.
#
# Run it before the first `docker compose up`, and again after pulling a change that adds a
# value: existing keys are kept (data encrypted under them stays readable) and only what is
# missing is made; a service token is made again when it is missing, expires within 30 days
# or was not signed by the current issuer key. --force replaces everything, which makes
# personal data already stored in the compose MongoDB volume unreadable (and learning records'
# verification codes already handed out unverifiable): `docker compose down -v` first. Every file it writes is git-ignored and docker-ignored. Needs only Node.js.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

force=0
case "${1:-}" in
  '') ;;
  --force) force=1 ;;
  *)
    echo "usage: bash infra/compose/init-env.sh [--force]" >&2
    exit 2
    ;;
esac

umask 077
mkdir -p "$root/infra/compose/.secrets" "$root/k8s/overlays/local/secrets" "$root/infra/local/.run"

ROOT="$root" FORCE="$force" node --input-type=module - <<'NODE'
import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const root = process.env.ROOT;
const force = process.env.FORCE === '1';
const composeDir = `${root}/infra/compose/.secrets`;
const k8sDir = `${root}/k8s/overlays/local/secrets`;
const privateFile = `${root}/infra/local/.run/jwt-private.pem`;
const publicFile = `${root}/infra/local/.run/jwt-public.pem`;

// Which env file holds which value: keys.env is read by every service, <service>.env by that
// service only (docker-compose.yml; infra/deploy's test reads this object). A name may appear
// for two services with a value of each: lectures' and notifications' personal-data keys are not registration's,
// and each caller's *_SERVICE_TOKEN carries its own `svc`.
const layout = {
  keys: ['JWT_PUBLIC_KEY'],
  registration: ['MONGODB_URI', 'PII_ENCRYPTION_KEYS', 'PII_HASH_KEY', 'SEATING_SERVICE_TOKEN', 'PERSONAL_DATA_SERVICE_TOKEN'],
  activities: ['MONGODB_URI', 'REGISTRATION_SERVICE_TOKEN', 'LECTURES_SERVICE_TOKEN', 'VERIFICATION_KEY'],
  lectures: ['MONGODB_URI', 'PII_ENCRYPTION_KEYS', 'PII_HASH_KEY', 'REGISTRATION_SERVICE_TOKEN', 'ACTIVITIES_SERVICE_TOKEN'],
  scoring: ['MONGODB_URI', 'VERIFICATION_KEY', 'REGISTRATION_SERVICE_TOKEN', 'ACTIVITIES_SERVICE_TOKEN', 'LECTURES_SERVICE_TOKEN'],
  notifications: ['MONGODB_URI', 'PII_ENCRYPTION_KEYS', 'PII_HASH_KEY', 'REGISTRATION_SERVICE_TOKEN'],
};
/**
 * Values only compose reads: each service's MONGODB_URI names the compose MongoDB and carries
 * the service's own user, whose password mongo.env holds; Kubernetes has its own database.
 */
const COMPOSE_ONLY = new Set(['MONGODB_URI']);
const SHARED = 'keys';
/** Where an older version kept every value of one name in one place: they were registration's. */
const LEGACY_OWNER = 'registration';

// The local issuer's names, as docker-compose.yml and k8s/overlays/local/platform.env set them
// (the local stack's OpenID provider's, infra/local/src/dev-token.ts, decision 0022).
const ISSUER = 'http://127.0.0.1:8100/oidc';
const AUDIENCE = 'learning-society';
const TOKEN_LIFETIME_SECONDS = 365 * 24 * 3600;
const TOKEN_RENEWAL_SECONDS = 30 * 24 * 3600;
/** A service token is presented by the service whose env file holds it (its `svc` claim). */
const isServiceToken = (name) => name.endsWith('_SERVICE_TOKEN');

// The local issuer's pair (the same format infra/local/src/dev-token.ts makes), kept if present.
if (force || !existsSync(privateFile) || !existsSync(publicFile)) {
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  writeFileSync(privateFile, privateKey, { mode: 0o600 });
  writeFileSync(publicFile, publicKey, { mode: 0o644 });
}
const privateKey = readFileSync(privateFile, 'utf8');
const publicKey = createPublicKey(readFileSync(publicFile, 'utf8'));
const now = Math.floor(Date.now() / 1000);

/** The claims libs/auth reads for a service identity (PrincipalInput with cityWide: true). */
function serviceToken(service) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'ES256', typ: 'JWT' })}.${part({
    sub: `service:${service}`,
    roles: ['service'],
    svc: service,
    jur: ['*'],
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + TOKEN_LIFETIME_SECONDS,
  })}`;
  // JWS wants ECDSA signatures as r||s, not DER.
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

function tokenStillGood(token, service) {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const signed = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) return false;
  let claims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return false;
  }
  return (
    claims.svc === service &&
    claims.iss === ISSUER &&
    typeof claims.exp === 'number' &&
    claims.exp - now > TOKEN_RENEWAL_SECONDS
  );
}

// What is there already, per service: its own env file first, then where older versions kept it
// (every value in keys.env, or k8s/overlays/local/secrets/<NAME>). An older token is kept only if
// it carries this service's `svc` (tokenStillGood); other older values were registration's.
const readEnvFile = (file) => {
  const values = {};
  if (!existsSync(file)) return values;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)="(.*)"$/.exec(line);
    if (match) values[match[1]] = match[2].replaceAll('\\n', '\n');
  }
  return values;
};
const readFile = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
const legacyComposeKeys = force ? {} : readEnvFile(`${composeDir}/${SHARED}.env`);
function existingValue(owner, name) {
  if (force) return undefined;
  const own =
    readEnvFile(`${composeDir}/${owner}.env`)[name] ?? readFile(`${k8sDir}/${owner}/${name}`);
  if (own !== undefined || owner === SHARED) return own;
  if (!isServiceToken(name) && owner !== LEGACY_OWNER) return undefined;
  return legacyComposeKeys[name] ?? readFile(`${k8sDir}/${name}`);
}

// The compose MongoDB's credentials (mongo.env, read by the mongo container alone): its root
// user, which its health check uses to initiate the replica set, and one password per service,
// whose user infra/compose/mongo/create-users.js gives readWrite on that service's database
// only. Kept when present: the users exist in the mongo-data volume from its first start.
const mongoEnvFile = `${composeDir}/mongo.env`;
const keyFile = `${composeDir}/mongo-keyfile`;
const services = Object.keys(layout).filter((owner) => owner !== SHARED);
const passwordName = (service) => `${service.toUpperCase()}_MONGODB_PASSWORD`;
const mongoKept = force ? {} : readEnvFile(mongoEnvFile);
// base64url: safe inside a connection string without escaping.
const newPassword = () => randomBytes(24).toString('base64url');
const mongoValues = {
  MONGO_INITDB_ROOT_USERNAME: 'root',
  MONGO_INITDB_ROOT_PASSWORD: mongoKept.MONGO_INITDB_ROOT_PASSWORD || newPassword(),
};
for (const service of services)
  mongoValues[passwordName(service)] = mongoKept[passwordName(service)] || newPassword();
const madeMongo = Object.keys(mongoValues).filter(
  (name) => name !== 'MONGO_INITDB_ROOT_USERNAME' && !mongoKept[name],
);
// A replica set with access control authenticates its members by a shared key file, even with
// one member; 756 base64 characters is MongoDB's documented recipe.
if (force || !existsSync(keyFile)) {
  writeFileSync(keyFile, randomBytes(567).toString('base64'), { mode: 0o600 });
  madeMongo.push('mongo-keyfile');
}
/** The database a service owns has the service's name (its MONGODB_DATABASE default). */
const mongoUri = (service) =>
  `mongodb://${service}:${mongoValues[passwordName(service)]}@mongo:27017/${service}?replicaSet=rs0&authSource=${service}`;

const makers = {
  // Always the current issuer's key, so the services trust what the issuer signs.
  JWT_PUBLIC_KEY: () => readFileSync(publicFile, 'utf8'),
  // <id>:<base64 of 32 bytes>; the first entry encrypts, every entry decrypts (libs/pii).
  PII_ENCRYPTION_KEYS: () => `k1:${randomBytes(32).toString('base64')}`,
  PII_HASH_KEY: () => randomBytes(32).toString('base64'),
  // base64 of 32 bytes: the HMAC key of verification codes (scoring's learning records, activities'
  // training certificates), one per service.
  VERIFICATION_KEY: () => randomBytes(32).toString('base64'),
};

const made = [];
/** Env file name → variable → value. */
const values = {};
for (const [owner, names] of Object.entries(layout)) {
  values[owner] = {};
  for (const name of names) {
    const kept = existingValue(owner, name)?.trim();
    // Derived values follow what they derive from: the issuer's key, the service's password.
    const derived = name === 'JWT_PUBLIC_KEY' || name === 'MONGODB_URI';
    const keep =
      !derived &&
      kept !== undefined &&
      kept !== '' &&
      (!isServiceToken(name) || tokenStillGood(kept, owner));
    values[owner][name] = keep
      ? kept
      : (isServiceToken(name) ? serviceToken(owner) : name === 'MONGODB_URI' ? mongoUri(owner) : makers[name]()).trim();
    if (!keep && !derived) made.push(owner === SHARED ? name : `${owner} ${name}`);
  }
}

// Compose's env-file syntax: \n inside double quotes is a newline; base64, PEM and JWTs hold no $ " or \.
for (const [owner, entries] of Object.entries(values)) {
  const lines = Object.entries(entries).map(([name, value]) => `${name}="${value.replaceAll('\n', '\\n')}"`);
  writeFileSync(`${composeDir}/${owner}.env`, `${lines.join('\n')}\n`, { mode: 0o600 });
  const directory = owner === SHARED ? k8sDir : `${k8sDir}/${owner}`;
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  for (const [name, value] of Object.entries(entries))
    if (!COMPOSE_ONLY.has(name)) writeFileSync(`${directory}/${name}`, value, { mode: 0o600 });
}
writeFileSync(
  mongoEnvFile,
  `${Object.entries(mongoValues).map(([name, value]) => `${name}="${value}"`).join('\n')}\n`,
  { mode: 0o600 },
);
made.push(...madeMongo);
// An older version's one-file-per-name values now live under their service's directory.
for (const name of new Set(Object.entries(layout).flatMap(([owner, names]) => (owner === SHARED ? [] : names))))
  rmSync(`${k8sDir}/${name}`, { force: true });
process.stdout.write(`made: ${made.length === 0 ? 'nothing, every value was kept' : made.join(', ')}\n`);
NODE

echo "keys written:"
echo "  $root/infra/compose/.secrets/{keys,mongo,registration,activities,lectures,scoring,notifications}.env, mongo-keyfile"
echo "  $root/k8s/overlays/local/secrets/JWT_PUBLIC_KEY and secrets/<service>/<NAME>"
echo "  $root/infra/local/.run/jwt-{private,public}.pem (token issuer: pnpm --silent token --role city_admin)"
