# Shared by bench/dht scripts; source it, do not run it. Builds the jar, starts our dht-node on 127.0.0.1
# (any port) and sets $root, $port and $node_pid; the node is stopped when the sourcing script exits.
# With NEED_LIBTORRENT=1, installs python3-libtorrent first when missing. With DHT_V6=1 the node is in
# both DHTs (BEP 32), also bound to ::1, and $port6 is its IPv6 port.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if [ "${NEED_LIBTORRENT:-0}" = 1 ] && ! /usr/bin/python3 -c "import libtorrent" 2>/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq python3-libtorrent
fi
mvn -B -q -DskipTests -pl client -am package >&2
node_log="$(mktemp)"
binds=(--bind 127.0.0.1)
[ "${DHT_V6:-0}" = 1 ] && binds+=(--bind ::1)
"$root/kadtorrent" dht-node "${binds[@]}" --port 0 >"$node_log" 2>&1 &
node_pid=$!
trap 'kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; rm -f "$node_log"' EXIT
port=""
for _ in $(seq 1 300); do   # bounded: up to ~60 s for the JVM to bind (slow on a loaded 2-core machine)
  port="$(sed -n 's/^listening: udp 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$node_log")"
  [ -n "$port" ] && break
  kill -0 "$node_pid" 2>/dev/null || { cat "$node_log" >&2; exit 1; }
  sleep 0.2
done
[ -n "$port" ] || { echo "dht-node did not start" >&2; cat "$node_log" >&2; exit 1; }
if [ "${DHT_V6:-0}" = 1 ]; then
  port6=""
  for _ in $(seq 1 25); do   # printed right after the IPv4 line
    port6="$(sed -n 's/^listening: udp \[::1\]:\([0-9]*\)$/\1/p' "$node_log")"
    [ -n "$port6" ] && break
    sleep 0.2
  done
  [ -n "$port6" ] || { echo "dht-node did not bind ::1" >&2; cat "$node_log" >&2; exit 1; }
fi
