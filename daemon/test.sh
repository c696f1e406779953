#!/usr/bin/env bash
# The test command: installs what the tests need (idempotently), then runs unit and integration tests
# against real Prometheus, Alertmanager and libvirt's test driver.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
# shellcheck source=daemon/lib.sh
. "$root/daemon/lib.sh"
ensure_packages "${HEADROOM_PACKAGES[@]}" curl
cd "$root"
mvn -B verify "$@"
