#!/usr/bin/env bash
# Fuzzes the plan loader: any bytes given as a plan file must be loaded, validated and reported
# without a panic, a hang or runaway memory. Runs for SECONDS (default 60) with nightly Rust;
# installs cargo-fuzz first if it is missing.
#
#   fuzz/run.sh [SECONDS]
#
# The seed corpus is every plan file in the repository, copied into fuzz/corpus/load/ on each run
# (the corpus is not committed; what the fuzzer adds to it stays between runs). A crash is saved
# under fuzz/artifacts/load/, the run stops, and the script exits non-zero: make the input a
# regression fixture under tests/fixtures/ with a test, and fix the code.
set -euo pipefail
cd "$(dirname "$0")"

DURATION=${1:-60}
TARGET=load
CORPUS=corpus/$TARGET

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  rustup toolchain install nightly --profile minimal
fi

mkdir -p "$CORPUS"
for seed in ../tests/fixtures/check/*.toml ../tests/fixtures/check/*/*.toml \
  ../tests/fixtures/plans/*.toml ../plans/*.toml ../examples/*.toml \
  ../src/commands/starter-plan.toml; do
  [[ -f $seed ]] || continue
  folder=$(basename "$(dirname "$seed")")
  cp "$seed" "$CORPUS/seed-$folder-$(basename "$seed")"
done

# -max_len: inputs up to 16 KiB, several times each small fixture, so that most time goes to
# many small plans rather than a few copies of the largest (longer seeds are cut). -timeout: one
# input taking this many seconds counts as a hang; -rss_limit_mb: so does this much memory, both
# far above what any input needs.
cargo +nightly fuzz run "$TARGET" "$CORPUS" -- \
  -max_total_time="$DURATION" -dict=plan.dict -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1
