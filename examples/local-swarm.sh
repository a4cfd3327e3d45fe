#!/usr/bin/env bash
# The local swarm demo: the whole of kadtorrent on one machine, everything on 127.0.0.1.
#
#   metadata server + bootstrap DHT node  ->  signed torrent published  ->  one seeder
#   -> three clients fetch the torrent by name, find peers through the DHT, download, verify, seed
#   -> the original seeder leaves -> a fourth client completes from the former downloaders alone.
#
# Exits 0 only when every copy is byte-identical to the original. Stops every process it started,
# also on Ctrl-C or failure. Usage: examples/local-swarm.sh [--clients N] [--size-mib M] [--keep]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
clients=3
size_mib=24
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) clients="$2"; shift 2 ;;
    --size-mib) size_mib="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d "${TMPDIR:-/tmp}/kadtorrent-demo.XXXXXX")"
pids=()
names=()

say() { printf '\033[1m[demo %5.1fs]\033[0m %s\n' "$(elapsed)" "$*"; }
start_ns=$(date +%s%N)
elapsed() { awk -v a="$(date +%s%N)" -v b="$start_ns" 'BEGIN { printf "%.1f", (a - b) / 1e9 }'; }

cleanup() {
  local code=$?
  trap '' INT TERM   # a second Ctrl-C must not cut the cleanup short
  trap - EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$code" -ne 0 ]; then
    echo "demo failed (exit $code); logs of every process:" >&2
    for f in "$work"/logs/*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }; done
  fi
  if [ "$keep" -eq 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
  exit "$code"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

# Build the jar first (only when missing) so the background processes all start fast.
"$root/kadtorrent" --version >/dev/null
jar="$root/client/target/kadtorrent.jar"
kt() { java -jar "$jar" "$@"; }

mkdir -p "$work/logs"

# start NAME ARGS...: runs `kadtorrent ARGS` in the background, its output in logs/NAME.log
start() {
  local name="$1"; shift
  java -jar "$jar" "$@" >"$work/logs/$name.log" 2>&1 &   # java itself, so $! is the process to stop
  pids+=("$!"); names+=("$name")
}

# wait_line NAME REGEX SECONDS: waits until the process's log has a line matching REGEX; prints it
wait_line() {
  local log="$work/logs/$1.log" re="$2" limit=$(( $3 * 10 )) i=0
  while [ "$i" -lt "$limit" ]; do
    if grep -Eq "$re" "$log" 2>/dev/null; then grep -E "$re" "$log" | head -1; return 0; fi
    i=$((i + 1)); sleep 0.1
  done
  echo "timed out after $3 s waiting for '$re' from $1" >&2
  return 1
}
addr_of() { wait_line "$1" "^listening: $2 " 60 | awk '{print $3}'; }

say "generating a ${size_mib} MiB multi-file data set in $work/data/demo-set"
data="$work/data/demo-set"
mkdir -p "$data/docs" "$data/media/video" "$data/empty-dir-sibling"
head -c $(( size_mib * 1024 * 1024 / 2 + 12345 )) /dev/urandom >"$data/media/video/clip.bin"
head -c $(( size_mib * 1024 * 1024 / 3 + 777 )) /dev/urandom >"$data/media/photo.raw"
head -c $(( size_mib * 1024 * 1024 / 6 - 4321 )) /dev/urandom >"$data/docs/manual.pdf"
printf 'kadtorrent local swarm demo\n' >"$data/README.txt"
: >"$data/empty-dir-sibling/empty.txt"

say "starting a bootstrap DHT node"
start dht dht-node --bind 127.0.0.1 --port 0
dht="$(addr_of dht udp)"
say "  bootstrap DHT node: udp $dht"

say "making a publisher key and starting the metadata server (accepting that key only)"
kt keygen -o "$work/publisher.key" >/dev/null
start metadata metadata-server --dir "$work/catalog" --bind 127.0.0.1 --port 0 --dht-port 0 \
  --bootstrap "$dht" --allow-key "$work/publisher.key.pub"
server="$(addr_of metadata tcp)"
say "  metadata server: tcp $server"

say "creating and publishing a signed torrent"
kt create "$data" -o "$work/demo-set.torrent" --node "$dht" --comment "kadtorrent demo" | sed 's/^/  /'
kt publish "$work/demo-set.torrent" --server "$server" --key "$work/publisher.key" | sed 's/^/  /'
kt search demo --server "$server" | sed 's/^/  /'

say "starting the original seeder"
start seeder seed "$work/demo-set.torrent" --data "$work/data" --bind 127.0.0.1 --port 0 \
  --dht-port 0 --bootstrap "$dht"
seeder_pid="${pids[-1]}"
seeder_addr="$(addr_of seeder tcp)"
say "  seeder: tcp $seeder_addr"

declare -A took who
who[$seeder_addr]=seeder
for i in $(seq 1 "$clients"); do
  say "client $i: get demo-set --server $server (peers come from the DHT only)"
  start "client$i" get demo-set --server "$server" --trust "$work/publisher.key.pub" -o "$work/client$i" \
    --bind 127.0.0.1 --port 0 --dht-port 0 --bootstrap "$dht" --seed-time 600
done
for i in $(seq 1 "$clients"); do
  who[$(addr_of "client$i" tcp)]="client$i"
done
for i in $(seq 1 "$clients"); do
  line="$(wait_line "client$i" '^complete: ' 180)"
  took[$i]="$(echo "$line" | awk '{print $(NF-1)}')"
  say "  client $i $line"
done

say "the original seeder leaves"
kill "$seeder_pid" 2>/dev/null || true
wait "$seeder_pid" 2>/dev/null || true

last=$((clients + 1))
say "client $last: get demo-set with the original seeder gone (served by former downloaders)"
start "client$last" get demo-set --server "$server" --trust "$work/publisher.key.pub" -o "$work/client$last" \
  --bind 127.0.0.1 --port 0 --dht-port 0 --bootstrap "$dht" --seed-time 0
who[$(addr_of "client$last" tcp)]="client$last"
line="$(wait_line "client$last" '^complete: ' 180)"
took[$last]="$(echo "$line" | awk '{print $(NF-1)}')"
say "  client $last $line"

say "verifying every copy byte for byte"
ok=1
total_bytes="$(wait_line client1 '^complete: ' 1 | awk '{print $3}')"
printf '\n%-10s %-12s %-10s %s\n' "client" "bytes" "seconds" "identical"
for i in $(seq 1 "$last"); do
  if diff -r "$data" "$work/client$i/demo-set" >/dev/null; then same=yes; else same=NO; ok=0; fi
  printf '%-10s %-12s %-10s %s\n' "client$i" "$total_bytes" "${took[$i]}" "$same"
done
echo
echo "who served whom (block bytes received, from each downloader's 'from:' lines; peer@ADDR = a peer that"
echo "connected to it, seen from its ephemeral port):"
for i in $(seq 1 "$last"); do
  sources="$(grep -E '^from: ' "$work/logs/client$i.log" | while read -r _ addr bytes _; do
    printf '%s %s, ' "${who[$addr]:-peer@$addr}" "$bytes"; done)"
  printf '  client%-3s <- %s\n' "$i" "${sources%, }"
done
echo
if [ "$ok" -ne 1 ]; then
  say "FAILED: a copy differs from the original"
  exit 1
fi
say "all $last copies are byte-identical; the last one came only from former downloaders"
