#!/usr/bin/env bash
# Fail the build when any action is overdue, and annotate each one on the line of its deadline.
#
#   examples/ci-overdue.sh [PLANS_DIR] [GRACE_DAYS]    # defaults: `plans`, 0
#
# `plan overdue --format github` prints one line per overdue action, e.g.
#   ::error file=plans/x.toml,line=212::P1.2 "Recruit team managers" is 12 days overdue (owner: ..., due 2016-05-31)
# pointing at the action's [[actions]] table, or at its revised `due` when the deadline slipped,
# so GitHub Actions shows it on that line. GRACE_DAYS ignores actions late by fewer days.
#
# Exit codes are `plan overdue`'s:
#   0  nothing is overdue
#   1  at least one action is overdue (the build goes red)
#   2  a plan file is invalid (its diagnostics are printed), or a bad option
#   3  the store could not be opened or written
#
# The store is a throwaway in CI: a fresh clone has none, and it is rebuilt from the files.
# PLAN_AS_OF may fix the date (for reproducible runs); otherwise today is used.
set -euo pipefail

dir="${1:-plans}"
grace="${2:-0}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
store="$work/plan.db"

if [[ -n "${PLAN_BIN:-}" ]]; then
  plan=("$PLAN_BIN")
elif command -v plan >/dev/null 2>&1; then
  plan=(plan)
else
  manifest="$(dirname "${BASH_SOURCE[0]}")/../Cargo.toml"
  plan=(cargo run --quiet --release --locked --manifest-path "$manifest" --)
fi

# Not `exec`: the trap must run to remove the throwaway store.
"${plan[@]}" --db "$store" --plans "$dir" overdue --grace "$grace" --format github
