#!/usr/bin/env bash
# DHT amplification: bytes out / bytes in per query type, our dht-node and libtorrent, both on 127.0.0.1
# with the same fill and the same queries (bench/dht/amplification.py). Installs python3-libtorrent when
# missing. The bound that fails a build is in dht/src/test/.../engine/AmplificationTest.java.
# Usage: bench/dht/amplification.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if ! /usr/bin/python3 -c "import libtorrent" 2>/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq python3-libtorrent
fi
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
/usr/bin/python3 "$root/bench/dht/amplification.py" kadtorrent "$port"
echo
/usr/bin/python3 "$root/bench/dht/amplification.py" libtorrent
