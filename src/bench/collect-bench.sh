#!/usr/bin/env bash
# One collection cycle for WORKLOADS x 8 features (the libvirt-exporter preset) against a real local
# Prometheus with an hour of backfilled history, RUNS times, interleaved with the bare-HTTP peer.
# Prints JSON with medians and the ratio. Writes only under target/.
#   src/bench/collect-bench.sh              # WORKLOADS=1000 RUNS=15
set -euo pipefail
cd "$(dirname "$0")/../.."
WORKLOADS=${WORKLOADS:-1000}
RUNS=${RUNS:-15}
mkdir -p target/bench
mvn -B -q -Dstyle.color=never test-compile
mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt -Dmdep.includeScope=test
java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" \
    io.headroom.bench.CollectionBench "$WORKLOADS" "$RUNS" 2>target/bench/collect-bench.log
