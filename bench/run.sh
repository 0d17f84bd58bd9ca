#!/usr/bin/env bash
# The benchmark behind docs/performance.md. Rerunnable: the data sets are generated once into
# target/bench/, every measurement is exported there (NAME.json, NAME.md), and a summary of the
# medians against the targets is printed at the end. Each measurement times a whole process of the
# release binary, as a user or a CI script would run it.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH=target/bench
# The project's cargo settings (.cargo/config.toml) name the machine's own target, so the binaries
# land under target/<target>/release.
RELEASE=target/$(rustc --print host-tuple)/release
PLAN=$RELEASE/plan
AS_OF=2018-06-30
mkdir -p "$BENCH"
rm -f "$BENCH"/*.json "$BENCH"/*.md "$BENCH"/*.txt # a skipped measurement must not show old figures

# Tools a fresh Debian machine may lack (hyperfine, jq for the summary, GNU time for peak memory)
# are installed with apt-get, as root. `apt-get update` only when the install fails: the package
# lists are then missing or stale, and updating them every run would be slow.
need() { # COMMAND PACKAGE
  command -v "$1" >/dev/null && return
  apt-get install -y "$2" || { apt-get update && apt-get install -y "$2"; }
}
need hyperfine hyperfine
need jq jq
need /usr/bin/time time

cargo build --release --locked
cargo build --release --locked --example generate
cargo build --release --locked --example trackers

# The generator's output depends only on its arguments, so a data set is generated once and reused.
# It does not delete old files: write into a fresh folder and rename it into place when complete.
generate() { # DIR GENERATOR-ARGS...
  local dir=$1
  shift
  [[ -d $dir ]] && return
  rm -rf "$dir.tmp"
  "$RELEASE/examples/generate" "$dir.tmp" "$@"
  mv "$dir.tmp" "$dir"
}
generate "$BENCH/national" # the defaults: 150 plans of 300 actions, seed 2015
generate "$BENCH/10k" --plans 50 --actions 200
# Twice the national picture, to see how each cost grows with the number of actions.
generate "$BENCH/90k" --plans 300
# A council's tracker of 300 actions, as an Excel workbook, for `plan convert`.
TRACKER=$BENCH/tracker-300.xlsx
[[ -f $TRACKER ]] || "$RELEASE/examples/trackers" large "$TRACKER" 300
# One plan of 20,000 actions, for the resync after an edit: without the actions' logs (--no-log),
# as in the report of the defect, so that the figure is about the number of actions; and with them,
# the generator's full plan (27.6 MB), to show what the rest of a resync costs at that size.
generate "$BENCH/resync-20k" --plans 1 --actions 20000 --no-log
generate "$BENCH/resync-20k-full" --plans 1 --actions 20000
# 10,200 actions in 34 plans without their logs (3.2 MB): the data the targets against
# Taskwarrior were set on ("those 10,200 items (34 files, about 4 MB of TOML)"), and the 10k data
# (10,000 actions with their updates and evidence in 50 files, 15.6 MB) beside it for information.
generate "$BENCH/10k-light" --plans 34 --actions 300 --no-log

# "Status after one change" and the resync append to these files. Keep each as generated (plan
# ignores *.orig) and put it back however the script ends, also at the start in case a killed run
# could not.
EDITED=$BENCH/national/plan-077.toml
RESYNC_EDITED=$BENCH/resync-20k/plan-001.toml
RESYNC_FULL_EDITED=$BENCH/resync-20k-full/plan-001.toml
restore() {
  local file
  for file in "$EDITED" "$RESYNC_EDITED" "$RESYNC_FULL_EDITED"; do
    [[ -f $file.orig ]] || cp -p "$file" "$file.orig"
    cp -p "$file.orig" "$file"
  done
}
restore
trap restore EXIT

# bench NAME HYPERFINE-ARGS...: -N runs the command without a shell, so no shell start-up is
# subtracted from figures of a few milliseconds.
bench() {
  local name=$1
  shift
  hyperfine -N --command-name "$name" --export-json "$BENCH/$name.json" \
    --export-markdown "$BENCH/$name.md" "$@"
}
# The command line for a store over the national data, as hyperfine takes it; run directly, it is
# split on spaces, which is safe for these paths under target/.
national() { echo "$PLAN --db $1 --plans $BENCH/national"; }

# a. A first import of the national data set into a new store.
IMPORT_DB=$BENCH/import.db
bench first-import --warmup 1 --runs 5 --prepare "rm -f $IMPORT_DB $IMPORT_DB-journal" \
  "$(national "$IMPORT_DB") import"
rm -f "$IMPORT_DB" "$IMPORT_DB-journal"
# shellcheck disable=SC2046 # the command line is split into its words on purpose
/usr/bin/time -f %M -o "$BENCH/first-import-rss-kb.txt" \
  $(national "$IMPORT_DB") import >/dev/null

# b. The dashboard of one plan when no file changed: the sync only stats the 150 files.
DB=$BENCH/national.db
rm -f "$DB" "$DB-journal"
$(national "$DB") import >/dev/null
STATUS="$(national "$DB") status --plan council-077 --as-of $AS_OF"
bench status-unchanged --warmup 3 --runs 30 "$STATUS"

# d. Overdue actions across every plan, nothing changed. `plan overdue` exits 1 when it finds
# some, hence -i. Older builds have no such command: skip rather than fail.
if "$PLAN" overdue --help >/dev/null 2>&1; then
  bench overdue-national -i --warmup 3 --runs 30 "$(national "$DB") overdue --format json --as-of $AS_OF"
  DB10K=$BENCH/10k.db
  rm -f "$DB10K" "$DB10K-journal"
  "$PLAN" --db "$DB10K" --plans "$BENCH/10k" import >/dev/null
  bench overdue-10k -i --warmup 3 --runs 30 \
    "$PLAN --db $DB10K --plans $BENCH/10k overdue --format json --as-of $AS_OF"
else
  echo "bench: this build has no \`plan overdue\`; skipping the overdue measurements" >&2
fi

# i. Questions asked across every plan of the national store, nothing changed: the portfolio
# dashboard, listings with and without filters, and the owners' workload. A filtered listing is
# measured as JSON, the answer to the query; as a table, the terminal layout of thousands of rows
# is measured too, for information.
bench portfolio-national --warmup 3 --runs 20 "$(national "$DB") status --as-of $AS_OF"
bench list-json-national --warmup 2 --runs 10 "$(national "$DB") list --format json --as-of $AS_OF"
bench list-owner-national --warmup 3 --runs 20 \
  "$(national "$DB") list --owner qa --format json --as-of $AS_OF"
bench list-search-national --warmup 3 --runs 20 \
  "$(national "$DB") list --search audit --format json --as-of $AS_OF"
bench list-overdue-owner-national --warmup 3 --runs 20 \
  "$(national "$DB") list --overdue --owner qa --as-of $AS_OF"
bench list-rag-national --warmup 3 --runs 20 \
  "$(national "$DB") list --rag red --format json --as-of $AS_OF"
bench list-status-due-national --warmup 3 --runs 20 \
  "$(national "$DB") list --status blocked --status not-started --due-before 2018-01-01 --format json --as-of $AS_OF"
bench list-owner-table-national --warmup 3 --runs 20 "$(national "$DB") list --owner qa --as-of $AS_OF"
bench owners-national --warmup 3 --runs 20 "$(national "$DB") owners --as-of $AS_OF"

# j. Peak memory (maximum resident set) of each question across the national store, one run each.
QUESTIONS=(
  "status --as-of $AS_OF"
  "list --format json --as-of $AS_OF"
  "list --owner qa --format json --as-of $AS_OF"
  "list --search audit --format json --as-of $AS_OF"
  "list --rag red --format json --as-of $AS_OF"
  "list --status blocked --status not-started --due-before 2018-01-01 --format json --as-of $AS_OF"
  "owners --as-of $AS_OF"
  "overdue --format json --as-of $AS_OF"
)
: >"$BENCH/questions-rss.txt"
for question in "${QUESTIONS[@]}"; do
  # shellcheck disable=SC2046,SC2086 # the command line is split into its words on purpose
  /usr/bin/time -f %M -o "$BENCH/rss-kb.txt" $(national "$DB") $question >/dev/null || true
  echo "$(tail -n 1 "$BENCH/rss-kb.txt") $question" >>"$BENCH/questions-rss.txt"
done

# k. The same answers as a build that read every plan whole before answering (the commit before
# the store kept facts per plan), on the national data at three dates: `list`, `owners`,
# `overdue` and the portfolio, as JSON, byte for byte. Skipped when the history is too shallow to
# hold that commit.
REFERENCE_COMMIT=4e2fea6
REFERENCE=$BENCH/reference
if git cat-file -e "$REFERENCE_COMMIT^{commit}" 2>/dev/null; then
  if [[ ! -x $REFERENCE/bin/plan ]]; then
    rm -rf "$REFERENCE"
    mkdir -p "$REFERENCE/src"
    git archive "$REFERENCE_COMMIT" | tar -x -C "$REFERENCE/src"
    # Run from here, cargo reads this project's settings for it too: under target/<target>/release.
    cargo build --release --locked --manifest-path "$REFERENCE/src/Cargo.toml" \
      --target-dir "$REFERENCE/target" --bin plan
    mkdir -p "$REFERENCE/bin"
    cp "$REFERENCE/target/${RELEASE#target/}/plan" "$REFERENCE/bin/plan"
  fi
  REFERENCE_DB=$BENCH/reference.db
  rm -f "$REFERENCE_DB" "$REFERENCE_DB-wal" "$REFERENCE_DB-shm"
  "$REFERENCE/bin/plan" --db "$REFERENCE_DB" --plans "$BENCH/national" import >/dev/null
  : >"$BENCH/same-answers.txt"
  for date in 2017-03-31 "$AS_OF" 2019-12-31; do
    for question in "list --format json" "list --owner qa --format json" \
      "list --search audit --format json" "list --rag red --format json" \
      "list --status blocked --status not-started --due-before 2018-01-01 --format json" \
      "list --overdue --format json" "list --awaiting-verification --format json" \
      "list --priority P1 --due-after 2017-06-30 --format json" \
      "owners --format json" "overdue --format json" "status --format json"; do
      # shellcheck disable=SC2086 # the question is split into its words on purpose
      $(national "$DB") $question --as-of "$date" >"$BENCH/answer.json" || true
      # shellcheck disable=SC2086
      "$REFERENCE/bin/plan" --db "$REFERENCE_DB" --plans "$BENCH/national" $question \
        --as-of "$date" >"$BENCH/reference-answer.json" || true
      # Two builds that both failed to answer would print the same nothing.
      if [[ -s $BENCH/answer.json ]] && cmp -s "$BENCH/answer.json" "$BENCH/reference-answer.json"; then
        echo "same $date $question" >>"$BENCH/same-answers.txt"
      else
        echo "DIFFERENT $date $question" >>"$BENCH/same-answers.txt"
      fi
    done
  done
else
  echo "bench: commit $REFERENCE_COMMIT is not in this clone; not comparing answers" >&2
fi

# l. How the costs grow with the number of actions: 10,000, 45,000 and 90,000, nothing changed
# (the first import aside).
for size in 10k national 90k; do
  db=$BENCH/growth-$size.db
  rm -f "$db" "$db-wal" "$db-shm"
  bench "growth-import-$size" --warmup 1 --runs 3 --prepare "rm -f $db $db-wal $db-shm" \
    "$PLAN --db $db --plans $BENCH/$size import"
  "$PLAN" --db "$db" --plans "$BENCH/$size" import >/dev/null
  at="$PLAN --db $db --plans $BENCH/$size"
  bench "growth-overdue-$size" -i --warmup 3 --runs 20 "$at overdue --format json --as-of $AS_OF"
  bench "growth-owners-$size" --warmup 3 --runs 20 "$at owners --as-of $AS_OF"
  bench "growth-portfolio-$size" --warmup 3 --runs 20 "$at status --as-of $AS_OF"
  bench "growth-list-json-$size" --warmup 2 --runs 10 "$at list --format json --as-of $AS_OF"
done

# m. Taskwarrior on the same 10,200 items of 34 plans: `plan overdue` against `task +OVERDUE
# export`, and a first import against `task import`, run alternately (bench/taskwarrior.sh); then
# the same over the 10k data, whose actions carry their logs, for information.
bench/taskwarrior.sh "$PLAN" "$BENCH/10k-light" "$AS_OF" "$BENCH" | tee "$BENCH/taskwarrior.txt"
mkdir -p "$BENCH/logs"
bench/taskwarrior.sh "$PLAN" "$BENCH/10k" "$AS_OF" "$BENCH/logs" |
  sed 's/^/for information, 50 plans of 200 actions with their logs: /' |
  tee "$BENCH/taskwarrior-logs.txt"

# c. The same dashboard right after one file was edited: a unique comment changes its size and
# content hash, so that one plan is read, parsed, diffed and rewritten in the store.
bench status-after-edit --warmup 2 --runs 20 \
  --prepare "bash -c 'echo \"# bench \$RANDOM \$(date +%s%N)\" >> $EDITED'" "$STATUS"

# e. The monthly report of the bundled Sunderland plan, as HTML (the richest format), for its
# busiest month. The store is synced before, so this is the report itself plus an unchanged sync.
SUNDERLAND_DB=$BENCH/sunderland.db
rm -f "$SUNDERLAND_DB" "$SUNDERLAND_DB-journal"
"$PLAN" --db "$SUNDERLAND_DB" --plans plans import >/dev/null
bench report-sunderland --warmup 3 --runs 30 \
  "$PLAN --db $SUNDERLAND_DB --plans plans report --month 2016-06 --format html -o $BENCH/report.html"

# f. Converting the 300-action tracker into a plan (printed to stdout, which hyperfine discards):
# reading the workbook, mapping its columns, writing the TOML and checking it with the loader.
bench convert-300 --warmup 3 --runs 30 "$PLAN convert $TRACKER --as-of $AS_OF"

# g. The board's workbook of the Sunderland plan, store synced.
bench export-sunderland --warmup 3 --runs 30 \
  "$PLAN --db $SUNDERLAND_DB --plans plans export --as-of 2016-06-30 -o $BENCH/board.xlsx"
# h. One plan of 20,000 actions: a first import, then a comment-only edit before each run, so
# that the whole file is read, parsed, compared with the stored plan and rewritten, and `plan
# status` answers after it. The first figure is the one the target is for.
resync() { # NAME: the data set $BENCH/NAME, whose one file is edited
  local db=$BENCH/$1.db data=$BENCH/$1
  rm -f "$db" "$db-journal" "$db-wal" "$db-shm"
  "$PLAN" --db "$db" --plans "$data" import >/dev/null
  bench "$1" --warmup 2 --runs 10 \
    --prepare "bash -c 'echo \"# bench \$RANDOM \$(date +%s%N)\" >> $data/plan-001.toml'" \
    "$PLAN --db $db --plans $data status --as-of $AS_OF"
}
resync resync-20k
resync resync-20k-full

# j. `plan check` of the 10k folder as a person reads it: 1,094 warnings, each quoting its lines
# of a 300 KB file. For information: no target was set.
bench check-10k --warmup 1 --runs 5 "$PLAN check $BENCH/10k"

# The medians against the targets (milliseconds), as a markdown table for docs/performance.md.
summary() { # NAME [TARGET-MS]: without a target, the figure is for information
  local json=$BENCH/$1.json target=${2:-} median min max verdict=""
  if [[ ! -f $json ]]; then
    printf '| %s | not measured | | | %s | |\n' "$1" "${target:+< $target}"
    return
  fi
  read -r median min max < <(jq -r '.results[0] | "\(.median*1e3) \(.min*1e3) \(.max*1e3)"' "$json")
  if [[ -n $target ]]; then
    verdict=$(awk -v m="$median" -v t="$target" 'BEGIN { print (m < t ? "ok" : "MISSED") }')
  fi
  printf '| %s | %.1f | %.1f | %.1f | %s | %s |\n' "$1" "$median" "$min" "$max" \
    "${target:+< $target}" "$verdict"
}
echo
echo "| measurement | median ms | min ms | max ms | target ms | |"
echo "| --- | ---: | ---: | ---: | ---: | --- |"
summary first-import 3000
summary status-unchanged 30
summary status-after-edit 100
summary overdue-national 30
summary overdue-10k 20
summary report-sunderland 200
summary convert-300 1000
summary export-sunderland 1000
summary resync-20k 1000
summary resync-20k-full
summary check-10k
summary portfolio-national 30
summary list-json-national 100
summary list-owner-national 30
summary list-search-national 30
summary list-overdue-owner-national 30
summary list-rag-national 30
summary list-status-due-national 30
summary list-owner-table-national
summary owners-national 30
echo
echo "| growth | 10,000 actions | 45,000 | 90,000 |"
echo "| --- | ---: | ---: | ---: |"
for what in import overdue owners portfolio list-json; do
  row="| $what"
  for size in 10k national 90k; do
    json=$BENCH/growth-$what-$size.json
    if [[ -f $json ]]; then
      row+=" | $(jq -r '.results[0].median * 1e3 | . * 10 | round / 10' "$json") ms"
    else
      row+=" | not measured"
    fi
  done
  echo "$row |"
done
echo
echo "peak RSS of the first import: $(($(cat "$BENCH/first-import-rss-kb.txt") / 1024)) MiB (target < 100)"
echo "peak RSS of the questions across the national store (target < 50 MiB each):"
while read -r kb question; do
  echo "  $((kb / 1024)) MiB  plan $question"
done <"$BENCH/questions-rss.txt"
if [[ -f $BENCH/same-answers.txt ]]; then
  echo "answers compared with commit $REFERENCE_COMMIT: $(grep -c '^same' "$BENCH/same-answers.txt") same, $(grep -c '^DIFFERENT' "$BENCH/same-answers.txt") different"
  grep '^DIFFERENT' "$BENCH/same-answers.txt" || true
fi
for compared in taskwarrior taskwarrior-logs; do
  if [[ -f $BENCH/$compared.txt ]]; then
    cat "$BENCH/$compared.txt"
  fi
done
