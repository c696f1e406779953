#!/usr/bin/env bash
# The end-to-end benchmark: daemon/scenarios/benchmark.yaml (or $1) for seeds 1-3 (or $SEEDS) x policies
# headroom, threshold and none, on the virtual clock. Writes one report per run under $OUT (default
# target/simulate-bench) and prints the policy x metric table per seed and the median over seeds.
# Usage: src/bench/simulate-bench.sh [scenario.yaml]   (needs target/headroom.jar: mvn -B -o -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
SCENARIO=${1:-daemon/scenarios/benchmark.yaml}
SEEDS=${SEEDS:-"1 2 3"}
OUT=${OUT:-target/simulate-bench}
JAR=${HEADROOM_JAR:-target/headroom.jar}
mkdir -p "$OUT"
for seed in $SEEDS; do
  for policy in none threshold headroom; do
    HEADROOM_LOG_LEVEL=${HEADROOM_LOG_LEVEL:-ERROR} java -jar "$JAR" simulate --scenario "$SCENARIO" \
      --policy "$policy" --seed "$seed" --out "$OUT/$policy-$seed.json" >&2
  done
done
python3 - "$OUT" $SEEDS <<'PY'
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
