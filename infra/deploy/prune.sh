#!/usr/bin/env bash
# Turns a built workspace (pnpm install, pnpm build) into what one service's
# image holds, in place: the service, the workspace packages it runs on, and
# their production dependencies, installed afresh from the lockfile through the
# pnpm store. Other services, libs/testing, the tools and every test are gone.
#
#   bash infra/deploy/prune.sh registration [--store-dir DIR]
#
# The Dockerfile's prune stage runs it; run it on a copy of the workspace to
# see what an image would carry (infra/deploy/README.md, "Image sizes").
set -euo pipefail
service=${1:?usage: prune.sh <service> [pnpm install options]}
shift
cd "$(dirname "$0")/../.."
if [[ ! -f "services/${service}/package.json" ]]; then
  echo "prune.sh: no services/${service}" >&2
  exit 1
fi
selector="{./services/${service}}..."

rm -rf node_modules ./*/node_modules ./*/*/node_modules
# --filter-prod follows dependencies only, so what libraries need for their tests stays out.
pnpm install --frozen-lockfile --offline --prod --reporter=silent --filter-prod "$selector" "$@"

# Every workspace package the service does not run on goes, with everything of the tools.
mapfile -t kept < <(pnpm list --recursive --depth -1 --parseable --filter-prod "$selector")
mapfile -t all < <(pnpm list --recursive --depth -1 --parseable)
for package in "${all[@]}"; do
  [[ "$package" == "$PWD" ]] && continue
  [[ " ${kept[*]} " == *" $package "* ]] || rm -rf "$package"
done
rm -rf infra
for package in "${kept[@]}"; do
  rm -rf "$package"/{test,bench,dist/test,dist/bench}
done
find . -name '*.tsbuildinfo' -not -path './node_modules/*' -delete

# Font packages ship every weight (Noto Sans SC: nine of ~10 MB each); an image
# keeps the weights its packages' code names by directory (scoring's PDFs: 400Regular).
shopt -s nullglob
for weight in node_modules/.pnpm/@expo-google-fonts+*/node_modules/@expo-google-fonts/*/[1-9]00*/; do
  name=$(basename "$weight")
  grep -rqsF --include='*.ts' --include='*.js' "/${name}/" "${kept[@]}" || rm -rf "$weight"
done
