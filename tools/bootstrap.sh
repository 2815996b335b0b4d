#!/usr/bin/env bash
# Installs every Debian package quicsim's build, tests and tools need.
# Idempotent: when everything is present it only runs dpkg-query and exits.
set -euo pipefail

PACKAGES=(
  bazel-bootstrap        # Bazel 4.2.3
  bazel-rules-java       # @rules_java, local
  default-jdk-headless   # Bazel's own runtime
  g++
  clang-14               # libFuzzer builds
  libclang-rt-14-dev     # libFuzzer / sanitizer runtimes for clang
  clang-format
  libabsl-dev
  libprotobuf-dev
  protobuf-compiler
  libgtest-dev
  libgmock-dev
  libgflags-dev
  libbenchmark-dev
  android-libboringssl-dev
  libngtcp2-dev
  libngtcp2-crypto-gnutls-dev
  libgnutls28-dev
  tshark                 # decryption test of exported captures
  python3
  valgrind               # tools/bench.sh --instructions (cachegrind)
  chromium               # ladder diagram render test (headless)
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != "installed" ]]; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "bootstrap: installing ${missing[*]}" >&2
SUDO=()
if [[ "$(id -u)" != 0 ]]; then
  SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; the answer does not matter.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
  "${SUDO[@]}" debconf-set-selections
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq "${missing[@]}"
echo "bootstrap: done" >&2
