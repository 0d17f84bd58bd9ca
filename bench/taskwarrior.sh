#!/usr/bin/env bash
# plan against Taskwarrior on the same items: the overdue question and a first import, timed as
# whole processes with the two programs alternating run by run, so that a machine that slows down
# or speeds up during the measurement weighs on both alike. Rerunnable; everything it creates
# outside OUT_DIR lives in a temporary folder that is removed however the script ends.
#
# Usage: bench/taskwarrior.sh PLAN_BINARY PLANS_DIR AS_OF OUT_DIR
#   e.g. bench/taskwarrior.sh target/x86_64-unknown-linux-gnu/release/plan target/bench/10k 2018-06-30 target/bench
# Writes OUT_DIR/taskwarrior.json and prints one line per comparison. A missed target is a finding,
# not a failure: the script exits 0 either way, and non-zero only when it could not measure.
set -euo pipefail

if [[ $# -ne 4 ]]; then
  echo "usage: $0 PLAN_BINARY PLANS_DIR AS_OF OUT_DIR" >&2
  exit 2
fi
PLAN=$(realpath "$1")
PLANS=$(realpath "$2")
AS_OF=$3
OUT=$4
[[ -x $PLAN ]] || { echo "taskwarrior.sh: $PLAN is not an executable" >&2; exit 2; }
[[ -d $PLANS ]] || { echo "taskwarrior.sh: $PLANS is not a folder" >&2; exit 2; }
mkdir -p "$OUT"
rm -f "$OUT/taskwarrior.json" # a failed run must not leave old figures behind

# As in run.sh: install what a fresh Debian machine lacks with apt-get, as root, and update the
# package lists only when the install fails.
need() { # COMMAND PACKAGE
  command -v "$1" >/dev/null && return
  apt-get install -y "$2" || { apt-get update && apt-get install -y "$2"; }
}
need task taskwarrior
need /usr/bin/time time
need python3 python3
need jq jq

# Taskwarrior's "today" is the local day, plan's is AS_OF. Pin the zone so that the shift of dates
# below, Taskwarrior's idea of today and the times written into its dates all agree, whatever the
# machine's zone. plan is given --as-of, so the zone does not change what it answers.
export TZ=UTC

TMP=$(mktemp -d "${TMPDIR:-/tmp}/plan-taskwarrior.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# Taskwarrior isolated from the user's: an empty rc file of its own (TASKRC; with none it would read
# ~/.taskrc, and with a missing file it asks whether to create one), and the data folder given on
# the command line. The overrides, all taken as given by every run of `task`:
#   confirmation=off  never wait for an answer on stdin;
#   hooks=off         no user scripts run around a command (there are none here; this makes sure);
#   verbose=nothing   no headers, footnotes or hints: the output is the data itself, as plan's;
#   gc=off            no garbage collection (moving finished tasks out of pending.data, renumbering)
#                     at each command. Import already files completed and deleted tasks into
#                     completed.data, so after it gc has nothing to do, and `task export` costs the
#                     same with or without it; off keeps every timed run doing the same work.
# Everything else is Taskwarrior's default, as a new user has it: in particular `+OVERDUE export`
# reads completed.data as well as pending.data, because the filter does not say status:pending.
TASKRC=$TMP/taskrc
: >"$TASKRC"
export TASKRC
TW_RC=(rc.confirmation=off rc.hooks=off rc.verbose=nothing rc.gc=off)

# The helper that builds Taskwarrior's import file, checks the overdue sets and times the runs.
cat >"$TMP/bench.py" <<'PY'
import datetime, json, os, shutil, statistics, subprocess, sys, time, uuid


def task_uuid(action):
    # Deterministic, so that reruns (on the same day) write an identical import file.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"plan:{action['plan']}/{action['id']}"))


def build(list_json, as_of, out):
    """One Taskwarrior task per action, every date moved by the same whole number of days so
    that Taskwarrior's today plays the part of AS_OF."""
    as_of = datetime.date.fromisoformat(as_of)
    shift = datetime.date.today() - as_of

    def stamp(day, at="000000"):
        return (datetime.date.fromisoformat(day) + shift).strftime("%Y%m%d") + "T" + at + "Z"

    status = {"not-started": "pending", "in-progress": "pending", "blocked": "pending",
              "done": "completed", "dropped": "deleted"}
    tasks = []
    for a in json.load(open(list_json))["actions"]:
        t = {
            "uuid": task_uuid(a),
            "description": a["title"],
            "project": a["plan"],
            "status": status[a["status"]],
            # A task is overdue in Taskwarrior when its due datetime is before the start of today,
            # or earlier today than now. Due at the last second of its day, an action due on
            # AS_OF is not overdue (as in plan) and one due the day before is.
            "due": stamp(a["due"], "235959"),
        }
        # Entered well before anything else happened to it.
        first = min(d for d in (a["due"], a["original_due"], a["done_date"]) if d)
        t["entry"] = (datetime.date.fromisoformat(first) + shift
                      - datetime.timedelta(days=60)).strftime("%Y%m%dT000000Z")
        if a["status"] == "done":
            t["end"] = stamp(a["done_date"])
        elif a["status"] == "dropped":  # Taskwarrior stamps a deletion with `end`; plan has no date
            t["end"] = stamp(min(a["due"], as_of.isoformat()))
        tasks.append(t)
    with open(out, "w") as f:
        json.dump(tasks, f, indent=0, sort_keys=True)
        f.write("\n")
    print(len(tasks), shift.days)


def check(plan_overdue_json, task_export_json):
    """Not only the counts: the overdue actions of plan and the +OVERDUE tasks must be the same."""
    want = {task_uuid(a) for a in json.load(open(plan_overdue_json))["actions"]}
    got = {t["uuid"] for t in json.load(open(task_export_json))}
    if want != got:
        print(f"overdue sets differ: {len(want - got)} only in plan, {len(got - want)} only in "
              f"Taskwarrior, e.g. {sorted(want ^ got)[:3]}", file=sys.stderr)
        sys.exit(1)


def timed(cmd, ok):
    # Whole process, output discarded, as hyperfine -N would: no shell in between.
    start = time.perf_counter()
    code = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    elapsed = time.perf_counter() - start
    if code not in ok:
        subprocess.run(cmd, stdout=subprocess.DEVNULL)  # again, to show its error
        sys.exit(f"exit code {code} from {' '.join(cmd)}")
    return elapsed * 1e3


def peak_rss_kb(cmd, ok, scratch):
    rss = os.path.join(scratch, "rss")
    code = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss] + cmd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    if code not in ok:
        sys.exit(f"exit code {code} from {' '.join(cmd)} under /usr/bin/time")
    return int(open(rss).read().split()[-1])


def measure(spec_json, result_json):
    """Runs plan and task alternately: warm-up pairs, then timed pairs, each run preceded
    (outside the timing) by its own preparation."""
    spec = json.load(open(spec_json))

    def prepare(side):
        for f in side.get("remove", []):
            if os.path.exists(f):
                os.remove(f)
        for d in side.get("empty", []):
            shutil.rmtree(d, ignore_errors=True)
            os.mkdir(d)

    sides = ("plan", "task")
    for _ in range(spec["warmup"]):
        for s in sides:
            prepare(spec[s])
            timed(spec[s]["cmd"], spec[s]["ok"])
    times = {s: [] for s in sides}
    for _ in range(spec["runs"]):
        for s in sides:
            prepare(spec[s])
            times[s].append(timed(spec[s]["cmd"], spec[s]["ok"]))
    result = {"runs": spec["runs"], "warmup_pairs": spec["warmup"]}
    for s in sides:
        prepare(spec[s])
        result[s] = {
            "command": spec[s]["cmd"],
            "median_ms": statistics.median(times[s]),
            "min_ms": min(times[s]),
            "max_ms": max(times[s]),
            "times_ms": times[s],
            "peak_rss_kb": peak_rss_kb(spec[s]["cmd"], spec[s]["ok"], spec["scratch"]),
        }
    result["ratio_task_over_plan"] = result["task"]["median_ms"] / result["plan"]["median_ms"]
    json.dump(result, open(result_json, "w"))


def report(out_json, meta_json, *parts):
    meta = json.load(open(meta_json))
    targets = {"overdue": 20, "first_import": 4}
    meta["comparisons"] = {}
    for part in parts:
        name, path = part.split("=", 1)
        r = json.load(open(path))
        r["target_ratio"] = targets[name]
        r["met"] = r["ratio_task_over_plan"] >= targets[name]
        meta["comparisons"][name] = r
    with open(out_json, "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    for name, r in meta["comparisons"].items():
        ratio = r["ratio_task_over_plan"]
        if name == "overdue":
            what = f"overdue, {meta['items']:,} items ({meta['overdue']:,} overdue)"
        else:
            what = f"first import, {meta['items']:,} items"
        speed = f"plan {ratio:.1f}x faster" if ratio >= 1 else f"plan {1 / ratio:.1f}x slower"
        print(f"{what}: plan {r['plan']['median_ms']:.1f} ms, task {r['task']['median_ms']:.1f} ms:"
              f" {speed} (target {r['target_ratio']}x) {'ok' if r['met'] else 'MISSED'}")
    print(f"peak RSS, MiB: overdue plan {meta['comparisons']['overdue']['plan']['peak_rss_kb'] / 1024:.1f}"
          f", task {meta['comparisons']['overdue']['task']['peak_rss_kb'] / 1024:.1f};"
          f" first import plan {meta['comparisons']['first_import']['plan']['peak_rss_kb'] / 1024:.1f}"
          f", task {meta['comparisons']['first_import']['task']['peak_rss_kb'] / 1024:.1f}"
          f" (Taskwarrior {meta['taskwarrior_version']})")


globals()[sys.argv[1]](*sys.argv[2:])
PY
bench_py() { python3 "$TMP/bench.py" "$@"; }

# plan's store of the data set, synced before anything is timed, and the items as plan sees them
# on AS_OF: the due date in force then, status, done date.
DB=$TMP/plan.db
"$PLAN" --db "$DB" --plans "$PLANS" import >/dev/null
"$PLAN" --db "$DB" --plans "$PLANS" list --format json --as-of "$AS_OF" >"$TMP/list.json"
BUILT=$(bench_py build "$TMP/list.json" "$AS_OF" "$TMP/import.json") # "ITEMS SHIFT-DAYS"
read -r ITEMS SHIFT <<<"$BUILT"

# Taskwarrior's data folder of the same items, for the overdue question.
TW_DATA=$TMP/task-data
mkdir "$TW_DATA"
task rc.data.location="$TW_DATA" "${TW_RC[@]}" import "$TMP/import.json" >/dev/null
TW=(task rc.data.location="$TW_DATA" "${TW_RC[@]}")

# Both must find the same overdue items, or the comparison is not of the same question. `plan
# overdue` exits 1 when it finds some.
"$PLAN" --db "$DB" --plans "$PLANS" overdue --format json --as-of "$AS_OF" >"$TMP/overdue.json" ||
  [[ $? -eq 1 ]]
PLAN_OVERDUE=$(jq '.actions | length' "$TMP/overdue.json")
TASK_OVERDUE=$("${TW[@]}" +OVERDUE count)
echo "overdue on $AS_OF (Taskwarrior's dates moved by $SHIFT days): plan $PLAN_OVERDUE, task $TASK_OVERDUE"
if [[ $PLAN_OVERDUE != "$TASK_OVERDUE" ]]; then
  echo "taskwarrior.sh: the overdue counts differ; the two are not answering the same question" >&2
  exit 1
fi
"${TW[@]}" +OVERDUE export >"$TMP/task-overdue.json"
bench_py check "$TMP/overdue.json" "$TMP/task-overdue.json"

# a. Overdue items: plan answers from its synced store (a sync that finds no file changed, then
# the query), Taskwarrior from its data files. 5 warm-up pairs, 50 timed pairs: each pair takes
# about a tenth of a second, and on a machine whose speed wanders, the median of 20 pairs moved by
# a tenth from one run of the script to the next.
jq -n --arg plan "$PLAN" --arg plans "$PLANS" --arg db "$DB" --arg as_of "$AS_OF" \
  --arg tmp "$TMP" --args '{
    warmup: 5, runs: 50, scratch: $tmp,
    plan: {cmd: [$plan, "--db", $db, "--plans", $plans, "overdue", "--format", "json",
                 "--as-of", $as_of], ok: [0, 1]},
    task: {cmd: ($ARGS.positional + ["+OVERDUE", "export"]), ok: [0]}
  }' "${TW[@]}" >"$TMP/overdue-spec.json"
bench_py measure "$TMP/overdue-spec.json" "$TMP/overdue-result.json"

# b. A first import: into a new store, and into an empty data folder, made so before each run
# outside the timing. Each run is long, so 1 warm-up pair (for the page cache) and 10 timed pairs.
# The inputs differ in kind: plan reads the plan files themselves (owners, measures, updates and
# evidence too), Taskwarrior a JSON file of just the fields it keeps.
FRESH=$TMP/fresh.db
TW_FRESH=$TMP/task-fresh
jq -n --arg plan "$PLAN" --arg plans "$PLANS" --arg db "$FRESH" --arg data "$TW_FRESH" \
  --arg file "$TMP/import.json" --arg tmp "$TMP" --args '{
    warmup: 1, runs: 10, scratch: $tmp,
    plan: {cmd: [$plan, "--db", $db, "--plans", $plans, "import"], ok: [0],
           remove: [$db, $db + "-wal", $db + "-shm", $db + "-journal"]},
    task: {cmd: (["task", "rc.data.location=" + $data] + $ARGS.positional + ["import", $file]),
           ok: [0], empty: [$data]}
  }' "${TW_RC[@]}" >"$TMP/import-spec.json"
bench_py measure "$TMP/import-spec.json" "$TMP/import-result.json"

TW_VERSION=$(task --version)
jq -n --arg as_of "$AS_OF" --arg plans "$PLANS" --arg version "$TW_VERSION" \
  --argjson items "$ITEMS" --argjson overdue "$PLAN_OVERDUE" --argjson shift "$SHIFT" \
  --args '{as_of: $as_of, plans_dir: $plans, items: $items, overdue: $overdue,
    taskwarrior_version: $version, taskwarrior_rc: $ARGS.positional, date_shift_days: $shift}' \
  "${TW_RC[@]}" >"$TMP/meta.json"
bench_py report "$OUT/taskwarrior.json" "$TMP/meta.json" \
  overdue="$TMP/overdue-result.json" first_import="$TMP/import-result.json"
