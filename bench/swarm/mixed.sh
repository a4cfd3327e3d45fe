#!/usr/bin/env bash
# Mixed swarm on 127.0.0.1 (issue 5 interop check): our DHT bootstrap node, our seeder, and two
# downloaders, one ours and one libtorrent (python3-libtorrent), that find the seeder and each other
# only through that DHT (libtorrent's DHT node joins through ours, so the DHT holds both kinds).
# Passes when both copies are byte-identical to the original; prints who served whom.
#
# Usage: bench/swarm/mixed.sh [MIB]     (default 64 MiB in 4 files)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mib="${1:-64}"
out="$root/bench/out/mixed"
jar="${KADTORRENT_JAR:-$root/client/target/kadtorrent.jar}"
/usr/bin/python3 -c 'import libtorrent' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-libtorrent; }
[ -f "$jar" ] || mvn -B -q -DskipTests -pl client -am package

rm -rf "$out" && mkdir -p "$out/data/mixed"
for i in 1 2 3 4; do head -c $(( (mib << 20) / 4 + i * 1001 )) /dev/urandom > "$out/data/mixed/f$i.bin"; done
java -jar "$jar" create "$out/data/mixed" -o "$out/mixed.torrent" --force --piece-size 262144 > /dev/null

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
wait_line() {
  for _ in $(seq 1 300); do grep -q "^$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; return 1
}
java -jar "$jar" dht-node --port 0 --bind 127.0.0.1 > "$out/node.log" 2>&1 & pids+=($!)
wait_line "$out/node.log" "listening: udp"
boot=$(sed -n 's/^listening: udp //p' "$out/node.log")
java -jar "$jar" seed "$out/mixed.torrent" --data "$out/data" --port 0 --bind 127.0.0.1 --bootstrap "$boot" \
  > "$out/seed.log" 2>&1 & pids+=($!)
wait_line "$out/seed.log" "listening: udp"
/usr/bin/python3 "$root/bench/swarm/lt_swarm.py" --torrent "$out/mixed.torrent" --out "$out/lt" --no-seeder \
  --downloaders 1 --bootstrap "$boot" --linger 20 --timeout 300 > "$out/lt.json" 2> "$out/lt.log" & lt_pid=$!
java -jar "$jar" get "$out/mixed.torrent" -o "$out/ours" --port 0 --bind 127.0.0.1 --bootstrap "$boot" \
  --seed-time 20 > "$out/get.log" 2>&1
wait "$lt_pid"
diff -rq "$out/data/mixed" "$out/ours/mixed" && diff -rq "$out/data/mixed" "$out/lt/lt-0/mixed" \
  || { echo "FAIL: a copy differs" >&2; exit 1; }
echo "ours:       $(grep -E '^(complete|uploaded)' "$out/get.log" | paste -sd' ')"
echo "libtorrent: $(cat "$out/lt.json")"
echo "PASS: our downloader and a libtorrent downloader both hold byte-identical copies"
