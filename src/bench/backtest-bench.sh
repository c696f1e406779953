#!/usr/bin/env bash
# The backtest replay alone on synthetic data: WORKLOADS x 8 features, DAYS replayed at the daemon's 30 s
# cycle, 1-day training window retrained every 6 h; once on 1 thread, once on THREADS. Prints JSON.
# Writes only under target/.
#   src/bench/backtest-bench.sh              # WORKLOADS=20 DAYS=2 THREADS=nproc
set -euo pipefail
cd "$(dirname "$0")/../.."
WORKLOADS=${WORKLOADS:-20}
DAYS=${DAYS:-2}
THREADS=${THREADS:-$(nproc)}
mkdir -p target/bench
mvn -B -q -Dstyle.color=never test-compile
mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt -Dmdep.includeScope=test
java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" \
    io.headroom.bench.BacktestBench "$WORKLOADS" "$DAYS" "$THREADS" 2>target/bench/backtest-bench.log
