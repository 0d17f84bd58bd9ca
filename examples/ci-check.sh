#!/usr/bin/env bash
# Check the plan files the way CI does: every file valid, and no warnings either.
#
#   examples/ci-check.sh [PLANS_DIR]       # PLANS_DIR defaults to `plans`
#
# `--format github` prints one `::error file=…,line=…,col=…::…` (or `::warning …`) line per finding,
# so GitHub Actions shows each finding as an annotation on its line of its file. Outside GitHub
# the lines are still readable; a one-line summary goes to stderr.
#
# The script exits with `plan check`'s exit code:
#   0  all good: every file is valid and there are no warnings
#   1  warnings only (an action due after the target date, updates out of date order, ...):
#      `--strict` turns them into a failure
#   2  invalid files: at least one error (bad TOML, a missing key, an unknown owner, ...),
#      or no *.toml file in the folder
#   3  the output could not be written
#
# Which `plan` runs: $PLAN_BIN if it is set, else `plan` from PATH (e.g. after
# `cargo install --locked --path .`), else a release build of this repository via `cargo run`.
set -euo pipefail

dir="${1:-plans}"

if [[ -n "${PLAN_BIN:-}" ]]; then
  plan=("$PLAN_BIN")
elif command -v plan >/dev/null 2>&1; then
  plan=(plan)
else
  manifest="$(dirname "${BASH_SOURCE[0]}")/../Cargo.toml"
  plan=(cargo run --quiet --release --locked --manifest-path "$manifest" --)
fi

"${plan[@]}" check --strict --format github "$dir"
