#!/usr/bin/env bash
# Checks that a change left `headroom simulate` unchanged: builds the jar at BASE (a git revision) and at the working
# tree, runs both on the same scenarios and seeds (headroom policy, with --trace), and compares the reports and the
# traces. Traces must be byte-identical; reports must be identical once the top-level keys named in $NEW_KEYS (keys
# the change added on purpose, e.g. NEW_KEYS="episode_outcomes") are left out of the new one.
# Usage: src/bench/same-reports.sh BASE [scenario.yaml ...]
#   default scenarios: daemon/scenarios/quick.yaml (seed 1), benchmark.yaml and benchmark-noisy.yaml (seeds $SEEDS,
#   default "1 2 3"); $JOBS runs at a time (default: one per core); $MVN_FLAGS for Maven (e.g. -o).
# Exit 0 when everything matches, 1 on a difference (each one listed), 2 on bad usage.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 1 ] || { echo "usage: $0 BASE [scenario.yaml ...]" >&2; exit 2; }
BASE=$1; shift
git rev-parse --verify --quiet "$BASE^{commit}" >/dev/null || { echo "error: $BASE is not a git revision" >&2; exit 2; }
# shellcheck source=daemon/lib.sh
. daemon/lib.sh
SEEDS=${SEEDS:-"1 2 3"}
WORK=$(mktemp -d /tmp/headroom-same.XXXXXX)
trap 'git worktree remove --force "$WORK/base-src" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
git worktree add --quiet --detach "$WORK/base-src" "$BASE"
(cd "$WORK/base-src" && mvn -B -q ${MVN_FLAGS:-} package -DskipTests -Djacoco.skip=true)
cp "$WORK/base-src/target/headroom.jar" "$WORK/base.jar"
ensure_jar "$PWD"
cp target/headroom.jar "$WORK/new.jar"
[ $# -gt 0 ] || set -- daemon/scenarios/quick.yaml daemon/scenarios/benchmark.yaml daemon/scenarios/benchmark-noisy.yaml
for scenario in "$@"; do
  seeds=$SEEDS
  [ "$(basename "$scenario")" = quick.yaml ] && seeds=1
  for seed in $seeds; do
    for side in base new; do
      printf '%s\0%s\0%s\0' "$side" "$scenario" "$seed"
    done
  done
done | HEADROOM_LOG_LEVEL=ERROR xargs -0 -n 3 -P "${JOBS:-$(nproc)}" sh -c \
  'n=$(basename "$2" .yaml)-$3; java -jar "$0/$1.jar" simulate --scenario "$2" --seed "$3" --out "$0/$1-$n.json" --trace "$0/$1-$n.csv" >/dev/null' \
  "$WORK"
python3 - "$WORK" "${NEW_KEYS:-}" <<'PY'
import glob, json, os, sys
work, new_keys = sys.argv[1], sys.argv[2].split()
bad = 0
for base in sorted(glob.glob(os.path.join(work, "base-*.json"))):
    name = os.path.basename(base)[len("base-"):-len(".json")]
    new = os.path.join(work, "new-" + name + ".json")
    a, b = json.load(open(base)), json.load(open(new))
    for k in new_keys:
        b.pop(k, None)
    same_report = a == b
    same_trace = open(os.path.join(work, "base-" + name + ".csv"), "rb").read() == \
        open(os.path.join(work, "new-" + name + ".csv"), "rb").read()
    print("%-24s report %s, trace %s" % (name, "same" if same_report else "DIFFERENT",
                                          "same" if same_trace else "DIFFERENT"))
    bad += (not same_report) + (not same_trace)
sys.exit(1 if bad else 0)
PY
