#!/usr/bin/env bash
# Starts the local stack on 127.0.0.1 (see infra/local/src/stack.ts) after
# bringing the machine up to date with scripts/setup.sh. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup.sh
mapfile -t topics < <(pnpm --silent --filter @learning/events cli topics)
exec node --conditions=@learning/source --import tsx infra/local/src/stack.ts "${topics[@]/#/--topic=}"
