#!/usr/bin/env bash
# The demo, in one command: a Prometheus on loopback holding 48 h of backfilled history for 20 demo guests
# (libvirt-exporter metric names) plus their live metrics, the guests as domains of libvirt's test driver, and
# `headroom run` in observe mode: it collects, trains, scores and records what it would change.
# Installs what it needs; everything lives in a temp dir and stops on Ctrl-C.
#   HEADROOM_DEMO_DOMAINS=N   number of demo guests (default 20)
#   HEADROOM_DEMO_SMOKE=1     start everything, check Headroom is ready and serving metrics, then stop (CI)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
# shellcheck source=daemon/lib.sh
. "$root/daemon/lib.sh"
ensure_packages prometheus python3 curl openjdk-17-jdk-headless maven
ensure_jar "$root"

domains=${HEADROOM_DEMO_DOMAINS:-20}
work=$(mktemp -d /tmp/headroom-demo.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

prom_port=$(free_port); guests_port=$(free_port); headroom_port=$(free_port)
now=$(date +%s)

echo ">> generating 48h of history for $domains guests"
/usr/bin/python3 "$root/daemon/demo/guests.py" backfill --domains "$domains" --hours 48 --end "$now" \
  --labels "job=demo-guests,instance=127.0.0.1:$guests_port" --out "$work/history.om"
promtool tsdb create-blocks-from openmetrics --max-block-duration=24h "$work/history.om" "$work/data" > "$work/promtool.log"
rm "$work/history.om"

/usr/bin/python3 "$root/daemon/demo/guests.py" serve --domains "$domains" --port "$guests_port" &
pids+=($!)
cat > "$work/prometheus.yml" <<YAML
global: {scrape_interval: 15s, evaluation_interval: 15s}
scrape_configs:
  - job_name: demo-guests
    static_configs: [{targets: ["127.0.0.1:$guests_port"]}]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --storage.tsdb.retention.time=30d --web.listen-address="127.0.0.1:$prom_port" > "$work/prometheus.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$prom_port/-/ready" 120

# The demo guests as libvirt domains, on libvirt's test driver (no libvirtd needed): Headroom discovers them
# there and, in observe mode, records what it would change.
{
  echo "<node>"
  for i in $(seq 1 "$domains"); do
    vcpus=$((2 + (i % 3) * 2)); mem=$(( (4 + (i % 2) * 4) * 1024 ))
    echo "  <domain type='test'><name>web-$i</name><memory unit='MiB'>$((mem * 2))</memory>"
    echo "    <currentMemory unit='MiB'>$mem</currentMemory><vcpu current='$vcpus'>$((vcpus * 4))</vcpu>"
    echo "    <os><type>hvm</type></os></domain>"
  done
  echo "</node>"
} > "$work/node.xml"

cat > "$work/headroom.yaml" <<YAML
prometheus: {url: "http://127.0.0.1:$prom_port"}
workloads: {source: libvirt, libvirt_uri: "test://$work/node.xml", label: domain}
collection: {interval: 15s, step: 15s, lookback: 1h}
features: {preset: libvirt-exporter}
detection: {training_window: 24h, retrain_every: 6h}
act: {mode: observe}
server: {listen: "127.0.0.1:$headroom_port"}
state_dir: $work/state
YAML
"$root/daemon/headroom" check-config --config "$work/headroom.yaml"
"$root/daemon/headroom" features --config "$work/headroom.yaml" --from now-6h --to now --step 5m --out "$work/features.csv"

"$root/daemon/headroom" run --config "$work/headroom.yaml" &
headroom_pid=$!
pids+=("$headroom_pid")
wait_http "http://127.0.0.1:$headroom_port/-/ready" 120

cat <<TXT

Headroom demo is running ($domains guests, 48 h of history):
  Prometheus      http://127.0.0.1:$prom_port/graph
  Headroom        http://127.0.0.1:$headroom_port/metrics   (also /-/healthy, /-/ready)
  Config          $work/headroom.yaml
  Feature matrix  $work/features.csv (last 6 h at 5 m steps)
Try:  $root/daemon/headroom features --config $work/headroom.yaml --from now-1h --to now --out -
Ctrl-C stops everything and removes $work.
TXT

if [ "${HEADROOM_DEMO_SMOKE:-0}" = 1 ]; then
  # The first training runs in the background after the first cycle; wait for its scores.
  deadline=$(( $(date +%s) + 300 ))
  until curl -fsS "http://127.0.0.1:$headroom_port/metrics" | grep -q '^headroom_anomaly_score{'; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "demo smoke: no scores after 300 s" >&2; exit 1; }
    sleep 1
  done
  curl -fsS "http://127.0.0.1:$headroom_port/metrics" \
    | grep -E '^headroom_(workloads|stage_success|anomaly_score\{workload="web-1"|decisions_total)' 
  rows=$(($(wc -l < "$work/features.csv") - 1))
  [ "$rows" -gt 0 ] || { echo "demo smoke: features.csv is empty" >&2; exit 1; }
  kill -TERM "$headroom_pid"
  wait "$headroom_pid" || [ $? -eq 143 ]
  echo "demo smoke: ok ($rows feature rows)"
  exit 0
fi
wait "$headroom_pid"
