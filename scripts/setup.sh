#!/usr/bin/env bash
# Installs what Arbiter needs on a Debian machine that has the Swift toolchain, then builds.
# Usage: scripts/setup.sh [release|debug]   (default: debug)
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: libseccomp (sandbox), OpenBLAS (tensor engine), pkg-config, python3 + numpy (code tasks, the
# engine's numpy reference test), libpython3-dev (the Python zygote embeds the same interpreter), nodejs, gcc, g++
# (sandbox profiles for javascript, c, cpp), gzip (datasets); the packages a boxed Python may import
# (Sandboxes/python/site: requests, sympy, pytest, which the pytest profile runs); the runtimes of the java, go, rust
# and typescript profiles; haproxy + curl (deploy/: the tested balancer set-up).
packages=(libseccomp-dev libopenblas-dev pkg-config python3 libpython3-dev python3-numpy nodejs gcc g++ gzip
    python3-requests python3-sympy python3-pytest openjdk-17-jdk-headless golang-go rustc node-typescript haproxy curl)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    # Another install may hold the package manager's locks (unattended upgrades, a second setup): dpkg's lock is
    # waited for by apt itself, the package lists' lock by retrying; up to 10 minutes in all.
    apt() {
        local tries=60
        until $SUDO apt-get -o DPkg::Lock::Timeout=600 "$@"; do
            ((--tries > 0)) || return 1
            echo "setup: apt-get $1 failed (another install holds the lock?); retrying in 10 s" >&2
            sleep 10
        done
    }
    apt update -qq
    DEBIAN_FRONTEND=noninteractive apt install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

config="${1:-debug}"
swift build -c "$config" 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
test "${PIPESTATUS[0]}" -eq 0
