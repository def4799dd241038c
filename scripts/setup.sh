#!/usr/bin/env bash
# Installs what Arbiter needs on a Debian machine that has the Swift toolchain, then builds.
# Usage: scripts/setup.sh [release|debug]   (default: debug)
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: libseccomp (sandbox), OpenBLAS (tensor engine), pkg-config, python3 + numpy (code tasks, the
# engine's numpy reference test), libpython3-dev (the Python zygote embeds the same interpreter), nodejs, gcc, g++
# (sandbox profiles for javascript, c, cpp), gzip (datasets), haproxy + curl (deploy/: the tested balancer set-up).
packages=(libseccomp-dev libopenblas-dev pkg-config python3 libpython3-dev python3-numpy nodejs gcc g++ gzip haproxy curl)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

config="${1:-debug}"
swift build -c "$config" 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
test "${PIPESTATUS[0]}" -eq 0
