#!/usr/bin/env bash
# The test command: installs what the tests need (idempotently), then runs unit and integration tests
# against real Prometheus, Alertmanager, libvirt's test driver and real QEMU guests under a libvirtd the tests start.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
# shellcheck source=daemon/lib.sh
. "$root/daemon/lib.sh"
ensure_packages "${HEADROOM_PACKAGES[@]}" curl
ensure_libvirt_qemu_user
ensure_apt_lists
cd "$root"
mvn -B verify "$@"
