#!/usr/bin/env bash
# Starts N `reward serve` replicas on this machine behind HAProxy (deploy/haproxy.cfg), until SIGTERM or SIGINT.
# Usage: deploy/replicas.sh [-n N] [-p PORT] [-s STATS_PORT] [-- reward serve options…]
#   -n  replicas (default 2)          -p  the balancer's port on 127.0.0.1 (default 8000)
#   -s  HAProxy's stats port (default PORT+1; CSV at http://127.0.0.1:S/stats;csv)
# The replicas listen on free loopback ports. $REWARD is the `reward` binary (default: .build/release/reward, then
# .build/debug/reward, then `reward` on PATH); $ARBITER_RUN is where pids, ports and logs go (default: a temp dir).
# Prints "replica I pid PID port PORT" per replica and then "ready http://127.0.0.1:PORT" once HAProxy answers
# /healthz through every replica. Stopping it stops HAProxy and every replica (SIGTERM: they finish what is in
# flight). Needs haproxy (scripts/setup.sh installs it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
n=2 port=8000 stats=""
while (($#)); do
    case "$1" in
        -n) n="$2"; shift 2 ;;
        -p) port="$2"; shift 2 ;;
        -s) stats="$2"; shift 2 ;;
        --) shift; break ;;
        *) echo "replicas.sh: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
    esac
done
stats="${stats:-$((port + 1))}"
command -v haproxy >/dev/null || { echo "replicas.sh: haproxy is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
reward="${REWARD:-}"
if [ -z "$reward" ]; then
    for candidate in "$here/../.build/release/reward" "$here/../.build/debug/reward" "$(command -v reward || true)"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then reward="$candidate"; break; fi
    done
fi
[ -x "$reward" ] || { echo "replicas.sh: no reward binary (build it, or set REWARD)" >&2; exit 1; }
run="${ARBITER_RUN:-$(mktemp -d /tmp/arbiter-replicas.XXXXXX)}"
mkdir -p "$run"

pids=()
stop() {
    trap - TERM INT EXIT
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    exit 0
}
trap stop TERM INT EXIT

ports=()
for i in $(seq 1 "$n"); do
    rm -f "$run/replica$i.port"
    "$reward" serve --port 0 --port-file "$run/replica$i.port" "$@" >"$run/replica$i.log" 2>&1 &
    pids+=($!)
    echo "$!" >"$run/replica$i.pid"
done
for i in $(seq 1 "$n"); do
    for _ in $(seq 1 600); do [ -s "$run/replica$i.port" ] && break; sleep 0.05; done
    [ -s "$run/replica$i.port" ] || { echo "replicas.sh: replica $i did not start (see $run/replica$i.log)" >&2; exit 1; }
    ports+=("$(cat "$run/replica$i.port")")
    echo "replica $i pid ${pids[$((i - 1))]} port ${ports[$((i - 1))]}"
done

config="$run/haproxy.cfg"
cp "$here/haproxy.cfg" "$config"
for i in $(seq 1 "$n"); do echo "    server r$i 127.0.0.1:${ports[$((i - 1))]} check" >>"$config"; done
ARBITER_LB_BIND="127.0.0.1:$port" ARBITER_LB_STATS="127.0.0.1:$stats" haproxy -W -db -f "$config" \
    >"$run/haproxy.log" 2>&1 &
pids+=($!)
echo "$!" >"$run/haproxy.pid"

# Ready once the stats page lists every replica UP.
for _ in $(seq 1 600); do
    up=$(curl -fsS -m 2 "http://127.0.0.1:$stats/stats;csv" 2>/dev/null | awk -F, '$1 == "replicas" && $2 ~ /^r[0-9]+$/ && $18 == "UP"' | wc -l || true)
    [ "$up" -eq "$n" ] && break
    kill -0 "${pids[-1]}" 2>/dev/null || { echo "replicas.sh: haproxy exited (see $run/haproxy.log)" >&2; exit 1; }
    sleep 0.05
done
[ "$up" -eq "$n" ] || { echo "replicas.sh: only $up of $n replicas are up behind haproxy" >&2; exit 1; }
echo "ready http://127.0.0.1:$port"
wait "${pids[-1]}"
