#!/usr/bin/env bash
# DHT flood: one IP (256 source ports of 127.0.0.1) floods our dht-node for SECONDS (default 10) while an
# honest querier on 127.0.0.2 asks ten times a second (bench/dht/flood.py).
# Usage: bench/dht/flood.sh [SECONDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mvn -B -q -DskipTests -pl client -am package >&2
launcher="$root/kadtorrent"

log="$(mktemp)"
"$launcher" dht-node --bind 127.0.0.1 --port 0 >"$log" 2>&1 &
node_pid=$!
trap 'kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; rm -f "$log"' EXIT
port=""
for _ in $(seq 1 100); do   # bounded: up to ~20 s for the JVM to bind
  port="$(sed -n 's/^listening: udp 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$log")"
  [ -n "$port" ] && break
  kill -0 "$node_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.2
done
[ -n "$port" ] || { echo "dht-node did not start" >&2; cat "$log" >&2; exit 1; }
/usr/bin/python3 "$root/bench/dht/flood.py" "$port" "${1:-10}"
if kill -0 "$node_pid" 2>/dev/null; then echo "dht-node still running after the flood"; else echo "dht-node died" >&2; exit 1; fi
