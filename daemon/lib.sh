# Shared by demo and test.sh: idempotent installs and the build.
# shellcheck shell=bash

# Installs Debian packages that are missing; does nothing (and needs no network) when all are present.
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo ">> installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
}

# Packages the tests and the demo run for real: Prometheus, Alertmanager, libvirt's client library and test
# driver, the JDK and Maven for the build, python3 for free_port, and libvirtd with its QEMU driver and QEMU
# itself for the real-guest tests (software-emulated; no KVM needed).
HEADROOM_PACKAGES=(prometheus prometheus-alertmanager libvirt0 libvirt-clients openjdk-17-jdk-headless maven python3
  libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86)

# The scikit-learn peer of the benchmarks (src/bench/smd-accuracy.sh, iforest-bench.sh) and the YAML reader they
# use, from Debian, for the system's python3: a fresh machine has neither.
PEER_PACKAGES=(python3-sklearn python3-yaml)

# libvirt's QEMU driver runs guests as libvirt-qemu and refuses to start without that user. libvirt-daemon-system
# would create it, but also installs and starts a system libvirtd that the tests' own libvirtd would collide with,
# so only the user is made here, as that package makes it. Idempotent.
ensure_libvirt_qemu_user() {
  id -u libvirt-qemu >/dev/null 2>&1 && return 0
  echo ">> creating the libvirt-qemu system user" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo useradd --system --user-group --no-create-home --home-dir /var/lib/libvirt --shell /usr/sbin/nologin libvirt-qemu
}

# The real-guest tests fetch Debian's kernel and busybox with apt-get download: that needs package lists, which a
# machine whose packages were all installed already may not have.
ensure_apt_lists() {
  apt-cache depends linux-image-amd64 2>/dev/null | grep -q "Depends: linux-image-" && return 0
  echo ">> apt-get update (package lists for the real-guest tests)" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
}

# Builds target/headroom.jar unless it is newer than every source file.
ensure_jar() {
  local root=$1
  local jar="$root/target/headroom.jar"
  if [ -f "$jar" ] && [ -z "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
    return 0
  fi
  echo ">> building $jar" >&2
  (cd "$root" && mvn -B -q -DskipTests package)
}

# Prints a free TCP port on 127.0.0.1.
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Polls URL until it answers 200 or DEADLINE seconds pass.
wait_http() {
  local url=$1 deadline=$(( $(date +%s) + ${2:-60} ))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "timed out waiting for $url" >&2; return 1; }
    sleep 0.2
  done
}
