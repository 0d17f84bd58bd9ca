#!/usr/bin/env bash
# Regenerates docs/report.png: the first page of the HTML monthly report of the bundled Sunderland plan
# for June 2016, as headless Chromium shows it in an A4-proportioned window (1240x1754).
# Needs Chromium: chromium, chromium-browser or google-chrome on PATH, or its path in PLAN_CHROMIUM.
set -euo pipefail
cd "$(dirname "$0")/.."

browser="${PLAN_CHROMIUM:-}"
if [[ -z "$browser" ]]; then
  for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then
      browser="$(command -v "$name")"
      break
    fi
  done
fi
if [[ -z "$browser" ]]; then
  echo "error: no Chromium found; install chromium or set PLAN_CHROMIUM" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A fresh store, so the report reflects plans/ exactly.
cargo run --release --locked -- --db "$work/plan.db" report --month 2016-06 -o "$work/sunderland-2016-06.html"

# Kill the browser if it hangs (timeout is GNU coreutils; run without it where it is missing).
limit=()
if command -v timeout >/dev/null 2>&1; then limit=(timeout 60); fi
${limit[@]+"${limit[@]}"} "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
  --user-data-dir="$work/profile" --window-size=1240,1754 \
  --screenshot="$PWD/docs/report.png" "file://$work/sunderland-2016-06.html"

echo "wrote docs/report.png ($(wc -c <docs/report.png) bytes)"
