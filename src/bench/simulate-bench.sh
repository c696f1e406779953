#!/usr/bin/env bash
# The end-to-end benchmarks: daemon/scenarios/benchmark.yaml (quiet guests) and benchmark-noisy.yaml (noisy guests,
# peaks at the vCPU count, slow leaks and fast surges), or the scenario files given as arguments, each for seeds 1-3
# (or $SEEDS) x policies headroom, threshold and none, on the virtual clock. Writes one report per run under
# $OUT/<scenario> (default target/simulate-bench), $JOBS runs at a time (default: one per core) and prints, per scenario, the policy x metric table per seed and
# the median over seeds. Builds target/headroom.jar if it is out of date, and runs a copy of it, so a rebuild while
# the bench runs cannot pull classes out from under it.
# Usage: src/bench/simulate-bench.sh [scenario.yaml ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=daemon/lib.sh
. daemon/lib.sh
SEEDS=${SEEDS:-"1 2 3"}
OUT=${OUT:-target/simulate-bench}
if [ -z "${HEADROOM_JAR:-}" ]; then
  ensure_jar "$PWD"
  HEADROOM_JAR=target/headroom.jar
fi
JAR=$(mktemp /tmp/headroom-bench.XXXXXX.jar)
trap 'rm -f "$JAR"' EXIT
cp "$HEADROOM_JAR" "$JAR"
[ $# -gt 0 ] || set -- daemon/scenarios/benchmark.yaml daemon/scenarios/benchmark-noisy.yaml
for SCENARIO in "$@"; do
name=$(basename "$SCENARIO" .yaml)
mkdir -p "$OUT/$name"
# Runs are independent and deterministic: $JOBS of them at once (default: one per core).
for seed in $SEEDS; do
  for policy in none threshold headroom; do
    printf '%s\0%s\0' "$policy" "$seed"
  done
done | HEADROOM_LOG_LEVEL=${HEADROOM_LOG_LEVEL:-ERROR} xargs -0 -n 2 -P "${JOBS:-$(nproc)}" sh -c \
  'java -jar "$0" simulate --scenario "$1" --policy "$3" --seed "$4" --out "$2/$3-$4.json" >&2' \
  "$JAR" "$SCENARIO" "$OUT/$name"
echo
echo "### $name"
echo
python3 - "$OUT/$name" $SEEDS <<'PY'
import json, statistics, sys
out, seeds = sys.argv[1], sys.argv[2:]
cols = [("flagged_pct", "flagged before failure %"), ("median_lead_s", "median lead s"),
        ("avoided_pct", "preventable failures avoided %"), ("failures", "failures"),
        ("false_per_100d", "false actions /100 clean days"), ("extra_pct", "extra resource-hours %")]
def row(r):
    s = r["summary"]
    prev = s["preventable_failures_without_action"]
    return {"flagged_pct": 100.0 * s["flagged_before_failure"] / max(1, s["incidents"]),
            "median_lead_s": s["median_lead_seconds"],
            "avoided_pct": 100.0 * (prev - s["preventable_failures"]) / prev if prev else None,
            "failures": s["failures"],
            "false_per_100d": 100.0 * s["false_actions"] / s["clean_workload_days"] if s["clean_workload_days"] else None,
            "extra_pct": s["extra_resource_hours_pct"]}
def fmt(v):
    return "-" if v is None else ("%.1f" % v if isinstance(v, float) else str(v))
print("| policy | seed | " + " | ".join(c[1] for c in cols) + " |")
print("|---|---|" + "---|" * len(cols))
for policy in ["headroom", "threshold", "none"]:
    rows = []
    for seed in seeds:
        r = row(json.load(open("%s/%s-%s.json" % (out, policy, seed))))
        rows.append(r)
        print("| %s | %s | " % (policy, seed) + " | ".join(fmt(r[c]) for c, _ in cols) + " |")
    med = {c: (statistics.median([x[c] for x in rows if x[c] is not None]) if any(x[c] is not None for x in rows) else None)
           for c, _ in cols}
    print("| **%s** | median | " % policy + " | ".join(fmt(float(med[c]) if med[c] is not None else None) for c, _ in cols) + " |")
PY
done
