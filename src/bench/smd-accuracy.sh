#!/usr/bin/env bash
# Compares Headroom's isolation forest with scikit-learn's on the SMD machines in the shared data
# set (ROC AUC, average precision, best F1; SEEDS forests each). Reads the data in place.
#   src/bench/smd-accuracy.sh [SMD_DIR]   # default ../shared/datasets/smd/ServerMachineDataset beside the repository
set -euo pipefail
cd "$(dirname "$0")/../.."

SMD=${1:-$(pwd)/../shared/datasets/smd/ServerMachineDataset}
SEEDS=${SEEDS:-5}
PYTHON=${PYTHON:-/usr/bin/python3}
OUT=target/bench/smd
MACHINES=$(cd "$SMD/test" && ls *.txt | sed 's/\.txt$//' | sort)

mkdir -p "$OUT"
mvn -B -q -Dstyle.color=never test-compile
mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt -Dmdep.includeScope=test
# shellcheck disable=SC2086 # MACHINES is a word list on purpose
java -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" \
    io.headroom.detect.SmdScores "$SMD" "$OUT" "$SEEDS" $MACHINES
# shellcheck disable=SC2086
"$PYTHON" src/bench/smd_accuracy.py "$SMD" "$OUT" "$SEEDS" $MACHINES
