#!/usr/bin/env bash
# The demo, in one command: a Prometheus on loopback holding 48 h of backfilled history for 20 demo guests
# (libvirt-exporter metric names) plus their live metrics, and `headroom run` collecting from it.
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
/usr/bin/python3 "$root/daemon/demo/guests.py" backfill --domains "$domains" --hours 48 --end $((now - 120)) \
  --out "$work/history.om"
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

cat > "$work/headroom.yaml" <<YAML
prometheus: {url: "http://127.0.0.1:$prom_port"}
workloads: {source: prometheus, label: domain, selector: libvirt_domain_info_virtual_cpus}
collection: {interval: 15s, step: 15s, lookback: 15m}
features: {preset: libvirt-exporter}
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
  curl -fsS "http://127.0.0.1:$headroom_port/metrics" | grep -E '^headroom_(workloads|stage_success)' 
  rows=$(($(wc -l < "$work/features.csv") - 1))
  [ "$rows" -gt 0 ] || { echo "demo smoke: features.csv is empty" >&2; exit 1; }
  kill -TERM "$headroom_pid"
  wait "$headroom_pid" || [ $? -eq 143 ]
  echo "demo smoke: ok ($rows feature rows)"
  exit 0
fi
wait "$headroom_pid"
