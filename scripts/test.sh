#!/usr/bin/env bash
# The one test command: sets up what is missing, then runs every test this
# machine can run. The integration harness starts (and stops) the servers it
# needs; its last line is `N passed, N failed, N skipped`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec pnpm --silent test
