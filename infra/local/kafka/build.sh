#!/usr/bin/env bash
# Builds the Kafka stand-in: librdkafka's mock cluster, statically linked into
# our launcher (kafka-mock.c). Idempotent and cached outside the checkout (so
# a fresh clone on the same machine reuses it; LEARNING_CACHE_DIR overrides);
# quiet unless something fails. The last line printed is the binary's path.
set -euo pipefail

# The npm package is only a carrier for the C sources: Debian's librdkafka
# (2.0.2) predates rd_kafka_mock_set_controller_id(), which kafkajs needs.
readonly KJS_PACKAGE="@confluentinc/kafka-javascript"
readonly KJS_VERSION="1.10.1"
readonly LIBRDKAFKA_VERSION="2.15.1"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Our change to the mock (see the patch's comments): a consumer group member
# that re-sends JoinGroup or SyncGroup before the first was answered aborted
# the whole broker (an assertion in rdkafka_mock_cgrp.c) and with it every
# test after; the mock now answers only the latest request, as a broker does.
readonly MOCK_PATCH="$here/mock-member-rejoin.patch"
patch_sum="$(sha256sum "$MOCK_PATCH" | cut -c1-12)"
build_dir="${LEARNING_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/learning-society}/kafka-mock"
src_dir="$build_dir/librdkafka-$LIBRDKAFKA_VERSION-$patch_sum"
bin="$build_dir/bin/kafka-mock"
log="$build_dir/build.log"
launcher_src="$here/kafka-mock.c"

mkdir -p "$build_dir/bin"

# Test runners and the local stack may call us at the same time.
exec 9>"$build_dir/.build.lock"
flock 9

fail() {
  echo "kafka-mock build failed: $1 (log: $log)" >&2
  if [[ -f "$log" ]]; then tail -n 80 "$log" >&2; fi
  exit 1
}

# Runs a step with its output in the log only; the log holds only the latest
# build, so a failure shows its own output.
log_started=0
step() {
  if ((!log_started)); then
    : >"$log"
    log_started=1
  fi
  echo "+ $*" >>"$log"
  "$@" >>"$log" 2>&1 || fail "$*"
}

build_library() {
  rm -rf "$src_dir"
  local tmp
  tmp="$(mktemp -d "$build_dir/pack.XXXXXX")"
  step npm pack "$KJS_PACKAGE@$KJS_VERSION" --pack-destination "$tmp" --silent
  local tgz
  tgz="$(find "$tmp" -maxdepth 1 -name '*.tgz' | head -n 1)"
  [[ -n "$tgz" ]] || fail "npm pack produced no tarball"
  step tar -xzf "$tgz" -C "$tmp" package/deps/librdkafka
  mv "$tmp/package/deps/librdkafka" "$src_dir"
  rm -rf "$tmp"

  # Guard against the carrier package shipping a different librdkafka.
  local expected
  expected="$(printf '0x%02x%02x%02xff' ${LIBRDKAFKA_VERSION//./ })"
  grep -q "define RD_KAFKA_VERSION $expected" "$src_dir/src/rdkafka.h" ||
    fail "$KJS_PACKAGE@$KJS_VERSION does not carry librdkafka $LIBRDKAFKA_VERSION"
  (cd "$src_dir" && step git apply -p1 "$MOCK_PATCH")

  # Everything optional is off so the build needs no downloads and no -dev
  # packages beyond a C toolchain; --no-download stops mklove fetching modules.
  (cd "$src_dir" && step ./configure --no-download --disable-ssl --disable-gssapi \
    --disable-curl --disable-zstd --disable-lz4-ext --disable-zlib --disable-syslog)
  step make -C "$src_dir/src" librdkafka.a -j"$(nproc)"
  touch "$src_dir/.built"
}

if [[ ! -f "$src_dir/.built" ]]; then
  build_library
fi

# Editing the launcher recompiles only the launcher.
key="$LIBRDKAFKA_VERSION-$patch_sum-$(sha256sum "$launcher_src" | cut -d' ' -f1)"
if [[ ! -x "$bin" || "$(cat "$bin.key" 2>/dev/null || true)" != "$key" ]]; then
  # -isystem: librdkafka's own headers do not pass -Wextra -Werror.
  # --wrap=bind lets the launcher pin the mock brokers' listen ports (--port).
  step gcc -std=gnu11 -O2 -Wall -Wextra -Werror -isystem "$src_dir/src" \
    -o "$bin.tmp" "$launcher_src" "$src_dir/src/librdkafka.a" \
    -Wl,--wrap=bind -lpthread -lm -ldl -lrt
  mv -f "$bin.tmp" "$bin"
  echo "$key" >"$bin.key"
fi

echo "$bin"
