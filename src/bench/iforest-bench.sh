#!/usr/bin/env bash
# Fits and scores ROWS x FEATURES rows (default 1,000,000 x 8; 100 trees, 256 samples) with Headroom's
# isolation forest and with scikit-learn's IsolationForest on the same data file, RUNS times each,
# and prints medians and ratios. Run from anywhere; writes only under target/bench/.
#   src/bench/iforest-bench.sh            # ROWS=1000000 FEATURES=8 RUNS=5 THREADS=2
set -euo pipefail
cd "$(dirname "$0")/../.."

ROWS=${ROWS:-1000000}
FEATURES=${FEATURES:-8}
RUNS=${RUNS:-5}
THREADS=${THREADS:-2}
PYTHON=${PYTHON:-/usr/bin/python3}
# shellcheck source=daemon/lib.sh
. daemon/lib.sh
ensure_packages "${PEER_PACKAGES[@]}"
OUT=target/bench
DATA=$OUT/gaussian-${ROWS}x${FEATURES}.f64

mkdir -p "$OUT"
mvn -B -q -Dstyle.color=never test-compile
mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt" -Dmdep.includeScope=test
[ -f "$DATA" ] || "$PYTHON" src/bench/sklearn_iforest.py make-data "$DATA" "$ROWS" "$FEATURES" 42

# One side at a time: the two cores are shared, and overlapping runs would time each other.
java -Xms1g -Xmx2g -cp "target/test-classes:target/classes:$(cat "$OUT/classpath.txt")" \
    io.headroom.detect.IsolationForestBench "$DATA" "$ROWS" "$FEATURES" "$RUNS" "$THREADS" > "$OUT/java.json"
"$PYTHON" src/bench/sklearn_iforest.py bench "$DATA" "$ROWS" "$FEATURES" "$RUNS" > "$OUT/sklearn.json"
"$PYTHON" src/bench/sklearn_iforest.py compare "$OUT/java.json" "$OUT/sklearn.json"
