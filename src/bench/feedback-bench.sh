#!/usr/bin/env bash
# The feedback loop's benchmark: each scenario (default daemon/scenarios/feedback-futile.yaml) for seeds 1-3 (or
# $SEEDS), policy headroom, with feedback on (the scenario as written) and off (a copy with feedback.adapt: false),
# on the virtual clock. Prints, per seed and as medians: the extra vCPU-hours and GiB-hours spent on guests whose
# every incident is one more resources cannot prevent, false actions after the first simulated day, preventable
# failures avoided, false actions and adaptations made, and the fall of the first three from off to on. Reports go to $OUT/<scenario>/{on,off}-SEED.json
# (default target/feedback-bench). Builds target/headroom.jar if it is out of date and runs a copy of it.
# Usage: src/bench/feedback-bench.sh [scenario.yaml ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=daemon/lib.sh
. daemon/lib.sh
SEEDS=${SEEDS:-"1 2 3"}
OUT=${OUT:-target/feedback-bench}
if [ -z "${HEADROOM_JAR:-}" ]; then
  ensure_jar "$PWD"
  HEADROOM_JAR=target/headroom.jar
fi
JAR=$(mktemp /tmp/headroom-bench.XXXXXX.jar)
trap 'rm -f "$JAR"' EXIT
cp "$HEADROOM_JAR" "$JAR"
[ $# -gt 0 ] || set -- daemon/scenarios/feedback-futile.yaml
for SCENARIO in "$@"; do
name=$(basename "$SCENARIO" .yaml)
mkdir -p "$OUT/$name"
# The same scenario with adaptation off: outcomes are still judged, nothing is applied.
grep -q '^config:$' "$SCENARIO" || { echo "$SCENARIO: needs a top-level config: mapping" >&2; exit 2; }
grep -q '^  feedback:' "$SCENARIO" && { echo "$SCENARIO: must not set config.feedback itself" >&2; exit 2; }
sed 's/^config:$/config:\n  feedback: {adapt: false}/' "$SCENARIO" > "$OUT/$name/off.yaml"
for seed in $SEEDS; do
  printf '%s\0%s\0%s\0' on "$SCENARIO" "$seed"
  printf '%s\0%s\0%s\0' off "$OUT/$name/off.yaml" "$seed"
done | HEADROOM_LOG_LEVEL=${HEADROOM_LOG_LEVEL:-ERROR} xargs -0 -n 3 -P "${JOBS:-$(nproc)}" sh -c \
  'java -jar "$0" simulate --scenario "$3" --policy headroom --seed "$4" --out "$1/$2-$4.json" >&2' \
  "$JAR" "$OUT/$name"
echo
echo "### $name: feedback on vs off"
echo
/usr/bin/python3 - "$OUT/$name" $SEEDS <<'PY'
import json, statistics, sys
out, seeds = sys.argv[1], sys.argv[2:]
def row(r):
    s = r["summary"]
    prev = s["preventable_failures_without_action"]
    np = s["non_preventable_guests"]
    return {"np_vcpu_h": np["extra_vcpu_hours"], "np_gib_h": np["extra_memory_gib_hours"],
            "avoided_pct": 100.0 * (prev - s["preventable_failures"]) / prev if prev else None,
            "false": s["false_actions"], "false_after_day1": s["false_actions_after_first_day"],
            "adaptations": r.get("feedback_adaptations", 0)}
cols = [("np_vcpu_h", "extra vCPU-h on non-preventable guests"), ("np_gib_h", "extra GiB-h on non-preventable guests"),
        ("false_after_day1", "false actions after day 1"), ("avoided_pct", "preventable failures avoided %"),
        ("false", "false actions"), ("adaptations", "adaptations")]
def fmt(v):
    return "-" if v is None else ("%.1f" % v if isinstance(v, float) else str(v))
print("| feedback | seed | " + " | ".join(c[1] for c in cols) + " |")
print("|---|---|" + "---|" * len(cols))
med = {}
for mode in ["on", "off"]:
    rows = [row(json.load(open("%s/%s-%s.json" % (out, mode, s)))) for s in seeds]
    for s, r in zip(seeds, rows):
        print("| %s | %s | " % (mode, s) + " | ".join(fmt(r[c]) for c, _ in cols) + " |")
    med[mode] = {c: statistics.median([x[c] for x in rows if x[c] is not None]) for c, _ in cols}
    print("| **%s** | median | " % mode + " | ".join(fmt(float(med[mode][c])) for c, _ in cols) + " |")
for c, label in cols[:3]:
    off, on = med["off"][c], med["on"][c]
    print("\n%s: off %.1f -> on %.1f (%s)" % (label, off, on,
          "fall %.0f%%" % (100.0 * (off - on) / off) if off else "nothing spent with feedback off"))
PY
done
