#!/usr/bin/env bash
# Runs a standalone DHT bootstrap node and, from a second process, looks up peers through it.
# For real use run `kadtorrent dht-node --port 6881 --state dht.state` on a reachable host and give
# its address to seeders, clients and the metadata server with --bootstrap HOST:PORT.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kadtorrent-dht.XXXXXX")"
"$root/kadtorrent" --version >/dev/null   # builds the jar when missing
node_pid=""
cleanup() { [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

java -jar "$root/client/target/kadtorrent.jar" dht-node --bind 127.0.0.1 --port 0 --state "$work/dht.state" \
  >"$work/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 300); do grep -q '^listening: udp ' "$work/node.log" && break; sleep 0.1; done
addr="$(grep '^listening: udp ' "$work/node.log" | awk '{print $3}')"
[ -n "$addr" ] || { echo "the DHT node did not start:" >&2; cat "$work/node.log" >&2; exit 1; }
echo "bootstrap node listening on udp $addr"

hash=0123456789abcdef0123456789abcdef01234567
echo "\$ kadtorrent dht get-peers $hash --bootstrap $addr"
"$root/kadtorrent" dht get-peers "$hash" --bootstrap "$addr" --dht-port 0
echo "(no peers is the expected answer: nobody announced that info_hash)"
