#!/usr/bin/env bash
# Training memory against fleet size, under the launcher's default JVM options (read from daemon/headroom), or
# $JAVA_OPTS, with the default detection config over its 7-day window at 30 s:
#   simulate  `headroom simulate --policy headroom` of N guests with 7 days of history and 30 simulated minutes
#             (one incident): its first training fits every guest's whole window. N in $SIM_GUESTS (default
#             "30 50"). The simulator itself holds every guest's whole history (1.3 MB a guest-week of doubles),
#             which is not the daemon's memory: past a few hundred guests it needs a larger heap on its own.
#   train     io.headroom.bench.TrainingBench: two trainings of N synthetic workloads as the daemon runs them (batch by
#             batch into a model registry, own and global models, within the model memory budget; the second while
#             the first one's models are held), nothing else in the heap. N in $TRAIN_GUESTS (default "50 200";
#             1000 takes about 4 minutes on 2 cores). Reports both trainings' seconds, and after the second the
#             workloads left to the global model by the budget and the models' estimated heap.
#   cycle     io.headroom.bench.CycleBench: the daemon (`daemon/headroom run`, the launcher's own process under
#             $JAVA_OPTS; default config but for the addresses and a 10 s interval) against a real Prometheus with the
#             lookback backfilled for N domains and scraping them live from an exporter in the bench's JVM
#             ($BENCH_JAVA_OPTS), and a libvirt test-driver host of N running domains in the daemon's process. After
#             its first training, $CYCLES (default 20) cycles: p50, p99 and max of headroom_cycle_duration_seconds
#             (and apart, those of the cycles that ran while the first training did), stage medians, Prometheus
#             requests and libvirt gateway operations per cycle, the daemon's peak RSS (its VmHWM), its heap after GC
#             at the first and last cycle, and the first training's seconds (Prometheus fetch included; the 2 h of
#             history leave only the global model to fit) with the CPU seconds the daemon and Prometheus used
#             meanwhile (on shared cores, their sum over the cores bounds it); the daemon's log in
#             $OUT/cycle-N-daemon.log. N in
#             $CYCLE_GUESTS (default "50 200"; 1000 takes about 6 minutes). A soak: CYCLE_GUESTS=200 CYCLES=180
#             (30 minutes). HISTORY_DAYS=7: a week of history instead, a sample a minute, so that the first training
#             fetches a week and fits every guest's own model (the training's time with its Prometheus fetch).
#             With it, RETRAIN_HOURS=6: first a daemon in the bench's JVM whose clock is 6 h behind trains on the same state directory
#             (reported as earlier_training), so the measured first training is a retraining 6 h later (the default
#             detection.retrain_every) that reads most of its week from the history cache (first_training_history_rows).
#   soak      io.headroom.simulate.SoakBench: `headroom simulate --policy headroom` of N guests (the scale fleet above,
#             default config, 7 days of history) over $SOAK_HOURS (default 24) simulated hours, on the virtual clock:
#             cycle p50, p99 and max (apart, the cycles that retrained), cycles longer than the 30 s interval, heap
#             after GC each simulated hour, peak RSS. N in $SOAK_GUESTS (default none; "1000" takes about 40
#             minutes). Under $SOAK_JAVA_OPTS (default -Xmx6g): the simulator holds every guest's whole history.
# Prints one table row per run: exit code (3 = OutOfMemoryError), peak RSS (/usr/bin/time -v), wall seconds of the
# run and, for train, of the training alone; then a table of the cycle runs. Builds target/headroom.jar and the test classes if out of date and
# runs copies of them ($MVN_FLAGS: extra Maven flags, e.g. -o). Writes only under $OUT (default target/scale-bench) and a temp dir.
#   src/bench/scale-bench.sh
#   SIM_GUESTS="20 30" TRAIN_GUESTS="1000" src/bench/scale-bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=daemon/lib.sh
. daemon/lib.sh
SIM_GUESTS=${SIM_GUESTS-"30 50"}
TRAIN_GUESTS=${TRAIN_GUESTS-"50 200"}
CYCLE_GUESTS=${CYCLE_GUESTS-"50 200"}
CYCLES=${CYCLES:-20}
HISTORY_DAYS=${HISTORY_DAYS:-0}
RETRAIN_HOURS=${RETRAIN_HOURS:-0}
# The launcher's own default JVM options, read from it so that the two cannot drift apart.
LAUNCHER_JAVA_OPTS=$(HEADROOM_JAVA_OPTS= HEADROOM_PRINT_JAVA_OPTS=1 daemon/headroom)
[ -n "$LAUNCHER_JAVA_OPTS" ] || { echo "scale-bench: no default JVM options found in daemon/headroom" >&2; exit 1; }
JAVA_OPTS=${JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}
SOAK_GUESTS=${SOAK_GUESTS-""}
SOAK_HOURS=${SOAK_HOURS:-24}
SOAK_JAVA_OPTS=${SOAK_JAVA_OPTS:-"-Xmx6g -XX:+ExitOnOutOfMemoryError"}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-"-Xmx2g -XX:+UseSerialGC"}
OUT=${OUT:-target/scale-bench}
mkdir -p "$OUT"
ensure_jar "$PWD"
# $MVN_FLAGS: extra Maven flags, e.g. -o on a machine without network.
# shellcheck disable=SC2086
mvn -B -q ${MVN_FLAGS:-} -Dstyle.color=never test-compile
# shellcheck disable=SC2086
mvn -B -q ${MVN_FLAGS:-} -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt" -Dmdep.includeScope=test
# Copies, so that a rebuild while the bench runs cannot pull classes out from under it.
TMP=$(mktemp -d /tmp/headroom-scale-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cp target/headroom.jar "$TMP/headroom.jar"
cp -r target/classes "$TMP/classes"
cp -r target/test-classes "$TMP/test-classes"
CP="$TMP/test-classes:$TMP/classes:$(cat "$OUT/classpath.txt")"

# scenario N [DURATION] [HISTORY]: N steady guests (30 simulated minutes after 7 days by default), one memory leak.
scenario() {
  cat <<YAML
name: scale-$1
start: 2026-11-30T00:00:00Z
duration: ${2:-30m}
step: 30s
history: ${3:-7d}
slo: {sustain: 5m, disk_latency: 0.05, net_latency: 0.2, min_request_ratio: 0.5}
workloads:
  - pattern: "vm-{n}"
    count: $1
    phase_step_hours: 0.7
    vcpus: {baseline: 4, max: 8}
    memory: {baseline: 8GiB, max: 16GiB}
    load:
      cpu: {mean: 2.0, daily: 0.2, noise: 0.05}
      memory: {mean: 5GiB, daily: 0.03, noise: 0.01}
      disk_read: {mean: 4MiB, daily: 0.3, noise: 0.1}
      disk_write: {mean: 2MiB, daily: 0.3, noise: 0.1}
      disk_latency: {mean: 0.004, noise: 0.05}
      net_rx: {mean: 8MiB, daily: 0.3, noise: 0.1}
      net_tx: {mean: 6MiB, daily: 0.3, noise: 0.1}
      net_drops: {mean: 0.5, noise: 0.2}
      net_latency: {mean: 0.02, noise: 0.05}
      requests: {mean: 300, daily: 0.3, noise: 0.05}
incidents:
  - {workload: vm-1, kind: memory-leak, start: 5m, ramp: 10m, severity: 0.5, duration: 20m}
YAML
}

# run NAME COMMAND...: the command under /usr/bin/time -v; prints "exit rss_mib seconds".
run() {
  local log="$OUT/$1.log" started rc
  shift
  started=$(date +%s.%N)
  set +e
  /usr/bin/time -v "$@" >"$log" 2>&1
  rc=$?
  set -e
  local rss
  rss=$(awk -F: '/Maximum resident set size/ {printf "%d", $2 / 1024}' "$log")
  printf '%s %s %.1f\n' "$rc" "${rss:--}" "$(echo "$(date +%s.%N) - $started" | bc)"
}

echo "JVM options: $JAVA_OPTS; default detection config; 7-day window at 30 s"
echo
echo "| run | guests | exit | peak RSS MiB | wall s | training s (1st, 2nd) | over budget | models MiB |"
echo "|---|---|---|---|---|---|---|---|"
for n in $SIM_GUESTS; do
  scenario "$n" >"$OUT/scale-$n.yaml"
  # shellcheck disable=SC2086
  read -r rc rss secs < <(HEADROOM_LOG_LEVEL=ERROR run "simulate-$n" java $JAVA_OPTS -jar "$TMP/headroom.jar" simulate \
      --scenario "$OUT/scale-$n.yaml" --policy headroom --seed 1 --out "$OUT/simulate-$n.json")
  echo "| simulate | $n | $rc | $rss | $secs | - | - | - |"
done
for n in $TRAIN_GUESTS; do
  # shellcheck disable=SC2086
  read -r rc rss secs < <(run "train-$n" java $JAVA_OPTS -cp "$CP" io.headroom.bench.TrainingBench "$n")
  training=$(sed -n 's/.*"seconds":\([0-9.]*\).*/\1/p' "$OUT/train-$n.log" | paste -sd, - | sed 's/,/, /')
  over=$(sed -n 's/.*"round":2,.*"over_budget":\([0-9]*\).*/\1/p' "$OUT/train-$n.log")
  mib=$(sed -n 's/.*"round":2,.*"models_mib":\([0-9]*\).*/\1/p' "$OUT/train-$n.log")
  echo "| train | $n | $rc | $rss | $secs | ${training:--} | ${over:--} | ${mib:--} |"
done
if [ -n "$SOAK_GUESTS" ]; then
  echo
  echo "| soak guests | simulated hours | exit | wall s | cycles | cycle p50 s | p99 s | max s | over the interval | retraining cycles s | heap after GC MiB (first hour, last, change) | peak RSS MiB |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
fi
for n in $SOAK_GUESTS; do
  scenario "$n" "${SOAK_HOURS}h" >"$OUT/soak-$n.yaml"
  # shellcheck disable=SC2086
  read -r rc _ _ < <(HEADROOM_LOG_LEVEL=ERROR run "soak-$n" java $SOAK_JAVA_OPTS -cp "$CP" io.headroom.simulate.SoakBench "$OUT/soak-$n.yaml")
  json=$(grep '^{"guests"' "$OUT/soak-$n.log" || true)
  if [ -z "$json" ]; then
    echo "| $n | $SOAK_HOURS | $rc | - | - | - | - | - | - | - | - | - |"
    continue
  fi
  echo "$json" | python3 -c '
import json, sys
r = json.load(sys.stdin)
print("| %d | %g | %s | %.0f | %d | %.3f | %.3f | %.3f | %d | %s | %.0f, %.0f, %+.1f%% | %.0f |" % (r["guests"],
      r["simulated_hours"], sys.argv[1], r["wall_seconds"], r["cycles"], r["cycle_p50_seconds"], r["cycle_p99_seconds"],
      r["cycle_max_seconds"], r["cycles_over_interval"], ", ".join("%.1f" % s for s in r["training_cycle_seconds"]),
      r["heap_after_gc_mib_first"], r["heap_after_gc_mib_last"], r["heap_change_percent"], r["peak_rss_mib"]))' "$rc"
done
[ -z "$CYCLE_GUESTS" ] && exit 0
echo
echo "| guests | exit | cycle p50 s | p99 s | max s | while training: cycles, p50 s, max s | stage medians s | Prometheus requests / cycle | libvirt operations / cycle | skipped | first training s | its CPU s: Headroom, Prometheus | its history rows: cached, fetched | models: skipped, over budget, MiB | peak RSS MiB | heap after GC MiB (first, last) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for n in $CYCLE_GUESTS; do
  # shellcheck disable=SC2086
  # The bench's JVM holds the exporter, the backfill and, with RETRAIN_HOURS, the earlier training; the measured
  # daemon is the launcher's own process under $JAVA_OPTS.
  read -r rc _ _ < <(HEADROOM_JAR="$TMP/headroom.jar" HEADROOM_JAVA_OPTS="$JAVA_OPTS" run "cycle-$n" \
      java $BENCH_JAVA_OPTS -cp "$CP" io.headroom.bench.CycleBench "$n" "$CYCLES" 10 "$TMP/cycle-$n" "$PWD/daemon/headroom" \
      "$HISTORY_DAYS" "$RETRAIN_HOURS")
  cp "$TMP/cycle-$n/daemon.log" "$OUT/cycle-$n-daemon.log" 2>/dev/null || true
  json=$(grep '^{"guests"' "$OUT/cycle-$n.log" || true)
  if [ -z "$json" ]; then
    echo "| $n | $rc | - | - | - | - | - | - | - | - | - | - | - | - | - | - |"
    continue
  fi
  echo "$json" | python3 -c '
import json, sys
r = json.load(sys.stdin)
stages = ", ".join("%s %.2f" % kv for kv in r["stage_median_seconds"].items())
ops = ", ".join("%s %g" % kv for kv in r["libvirt_operations_per_cycle"].items())
cpu = r["first_training_cpu_seconds"]
rows = r["first_training_history_rows"]
print("| %d | %s | %.2f | %.2f | %.2f | %d, %.2f, %.2f | %s | %g | %s | %g | %.1f | %.0f, %.0f | %.0f, %.0f | %.0f, %.0f, %.0f | %.0f | %.0f, %.0f |" % (r["guests"],
      sys.argv[1], r["cycle_p50_seconds"], r["cycle_p99_seconds"], r["cycle_max_seconds"],
      r["cycles_while_training"], r["while_training_p50_seconds"], r["while_training_max_seconds"], stages,
      r["prometheus_requests_per_cycle"], ops, r["cycles_skipped"], r["first_training_seconds"],
      cpu["headroom"], cpu["prometheus"], rows["cache"], rows["prometheus"],
      r["models_skipped"], r["models_over_budget"], r["models_mib"], r["peak_rss_mib"],
      r["heap_after_gc_mib_first"], r["heap_after_gc_mib_last"]))' "$rc"
done
# With RETRAIN_HOURS, the training before the measured one, from the same logs.
for n in $CYCLE_GUESTS; do
  grep -h '^{"guests"' "$OUT/cycle-$n.log" 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    e = r.get("earlier_training")
    if e:
        print("%d guests: the training %d h before the first took %.1f s (history rows: %.0f cached, %.0f fetched)" % (
              r["guests"], e["hours_before"], e["seconds"], e["history_rows"]["cache"], e["history_rows"]["prometheus"]))' || true
done
