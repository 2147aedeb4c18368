#!/usr/bin/env bash
# Starts the whole platform on 127.0.0.1 (see infra/local/src/stack.ts): brings
# the machine up to date with scripts/setup.sh, builds the workspace, then runs
# the stand-ins, the local token issuer and every service. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup.sh
echo "[up] building the workspace"
pnpm --silent build
mapfile -t topics < <(pnpm --silent --filter @learning/events cli topics)
exec node --conditions=@learning/source --import tsx infra/local/src/stack.ts "${topics[@]/#/--topic=}" "$@"
