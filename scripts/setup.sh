#!/usr/bin/env bash
# Brings a bare Debian machine with Node 20 and npm to the point where the
# tests and the local stack run: apt packages for the stand-ins, the pinned
# pnpm, the workspace's dependencies, and the Kafka stand-in's build (cached).
# Safe to run again: each step does nothing when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }

apt_packages=(python3-mockupdb python3-mongomock python3-sortedcontainers redis-server redis-tools gcc make pkg-config chromium fonts-noto-cjk)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    log "missing apt packages: ${missing[*]} (run as root, or install them)"; exit 1
  fi
  log "installing apt packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- promtool, for the alert rules' checks (infra/deploy/test/unit/observability.test.ts runs
# `promtool check rules` and `promtool test rules`). Debian ships it in the `prometheus` package;
# only its promtool binary is taken (into /usr/local/bin), so no Prometheus server is installed
# or started. A 19 MB download, about 3 s once; nothing when promtool is already on the PATH.
if ! command -v promtool >/dev/null 2>&1; then
  if [[ $(id -u) -ne 0 ]]; then
    log "missing promtool (from apt package prometheus): run as root, or install it"; exit 1
  fi
  log "installing promtool (from apt package prometheus)"
  promtool_dir=$(mktemp -d)
  # The download's sandbox user cannot write into a private directory: let it.
  chmod 755 "$promtool_dir"
  if ! (cd "$promtool_dir" && apt-get download -qq prometheus 2>/dev/null); then
    apt-get update -qq
    (cd "$promtool_dir" && apt-get download -qq prometheus)
  fi
  dpkg-deb --fsys-tarfile "$promtool_dir"/prometheus_*.deb | tar -x -C "$promtool_dir" ./usr/bin/promtool
  install -m 755 "$promtool_dir/usr/bin/promtool" /usr/local/bin/promtool
  rm -rf "$promtool_dir"
fi
# --- end promtool

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [[ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]]; then
  log "installing pnpm $pnpm_version"
  npm install --global --silent "pnpm@$pnpm_version"
fi

log "installing workspace dependencies"
pnpm install --frozen-lockfile --reporter=silent

log "building the Kafka stand-in (cached)"
bash infra/local/kafka/build.sh >/dev/null

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  log "starting redis-server on 127.0.0.1:6379"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
fi
log "ready"
