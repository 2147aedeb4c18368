#!/usr/bin/env bash
# Makes the keys the compose stack (and the local Kubernetes overlay) reads, once:
#
#   infra/compose/.secrets/keys.env     JWT_PUBLIC_KEY, PII_ENCRYPTION_KEYS, PII_HASH_KEY for docker compose
#   k8s/overlays/local/secrets/<NAME>    the same three values, one file each, for kustomize's secretGenerator
#   infra/local/.run/jwt-{private,public}.pem
#                                        the local token issuer's ES256 pair, shared with infra/local so that
#                                        `pnpm --silent token --role city_admin` mints tokens both stacks accept
#
# Run it before the first `docker compose up`. Existing keys are kept (data encrypted
# under them stays readable); --force replaces them, which makes personal data already
# stored in the compose MongoDB volume unreadable: `docker compose down -v` first.
# Every file it writes is git-ignored and docker-ignored. Needs only Node.js.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
compose_dir="$root/infra/compose/.secrets"
k8s_dir="$root/k8s/overlays/local/secrets"
issuer_dir="$root/infra/local/.run"

force=0
case "${1:-}" in
  '') ;;
  --force) force=1 ;;
  *)
    echo "usage: bash infra/compose/init-env.sh [--force]" >&2
    exit 2
    ;;
esac

if [[ $force -eq 0 && -s "$compose_dir/keys.env" && -s "$k8s_dir/PII_HASH_KEY" ]]; then
  echo "keys already made: $compose_dir/keys.env (--force makes new ones)"
  exit 0
fi

umask 077
mkdir -p "$compose_dir" "$k8s_dir" "$issuer_dir"

ROOT="$root" FORCE="$force" node --input-type=module - <<'NODE'
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const root = process.env.ROOT;
const issuerDir = `${root}/infra/local/.run`;
const privateFile = `${issuerDir}/jwt-private.pem`;
const publicFile = `${issuerDir}/jwt-public.pem`;

// The local issuer's pair (the same format infra/local/src/dev-token.ts makes), kept if present.
if (process.env.FORCE === '1' || !existsSync(privateFile) || !existsSync(publicFile)) {
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  writeFileSync(privateFile, privateKey, { mode: 0o600 });
  writeFileSync(publicFile, publicKey, { mode: 0o644 });
}

const values = {
  JWT_PUBLIC_KEY: readFileSync(publicFile, 'utf8'),
  // <id>:<base64 of 32 bytes>; the first entry encrypts, every entry decrypts (libs/pii).
  PII_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  PII_HASH_KEY: randomBytes(32).toString('base64'),
};

// Compose's env-file syntax: \n inside double quotes is a newline; base64 and PEM hold no $ " or \.
const envFile = Object.entries(values)
  .map(([name, value]) => `${name}="${value.trim().replaceAll('\n', '\\n')}"`)
  .join('\n');
writeFileSync(`${root}/infra/compose/.secrets/keys.env`, `${envFile}\n`, { mode: 0o600 });

for (const [name, value] of Object.entries(values)) {
  writeFileSync(`${root}/k8s/overlays/local/secrets/${name}`, value.trim(), { mode: 0o600 });
}
NODE

echo "keys written:"
echo "  $compose_dir/keys.env"
echo "  $k8s_dir/{JWT_PUBLIC_KEY,PII_ENCRYPTION_KEYS,PII_HASH_KEY}"
echo "  $issuer_dir/jwt-{private,public}.pem (token issuer: pnpm --silent token --role city_admin)"
