#!/usr/bin/env bash
# Swarm benchmark: one seeder -> N downloaders (default 8) of a generated multi-file torrent (default
# 512 MiB in 8 files) on 127.0.0.1, every peer found through a loopback DHT only (one bootstrap node,
# no --peer). Ours (kadtorrent processes) and libtorrent (python3-libtorrent sessions, one process)
# run one after the other in the same run, on the same data and the same .torrent. Reports the time
# from the downloaders' start until all of them hold a verified copy, and the share of downloaded
# bytes that downloaders served each other (swarming works only if it is well above zero).
# Rewrites the "## Swarm" section of bench/RESULTS.md.
#
# Usage: bench/swarm/run.sh [DOWNLOADERS] [MIB]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
downloaders="${1:-8}"
mib="${2:-512}"
out="$root/bench/out/swarm"
data="$out/data"
name="swarm-data"
jar="${KADTORRENT_JAR:-$root/client/target/kadtorrent.jar}"
timeout_s=900

command -v /usr/bin/python3 >/dev/null && /usr/bin/python3 -c 'import libtorrent' 2>/dev/null \
  || { apt-get update -qq && apt-get install -y -qq python3-libtorrent; }
[ -f "$jar" ] || mvn -B -q -DskipTests -pl client -am package

# 8 files with odd sizes adding up to MIB MiB, made once from /dev/urandom (bench/out is gitignored).
mkdir -p "$data/$name"
per=$(( (mib << 20) / 8 ))
for i in 1 2 3 4 5 6 7 8; do
  size=$(( per + (i - 4) * 4099 ))
  f="$data/$name/part-$i.bin"
  if [ ! -f "$f" ] || [ "$(stat -c %s "$f")" -ne "$size" ]; then
    head -c "$size" /dev/urandom > "$f"
  fi
done
total_bytes=$(du -cb "$data/$name"/* | tail -1 | cut -f1)
torrent="$out/swarm.torrent"
info_hash=$(java -jar "$jar" create "$data/$name" -o "$torrent" --force --piece-size $((1 << 20)) | sed -n 's/^info_hash: //p')
cat "$data/$name"/* > /dev/null # warm the page cache

now() { date +%s.%N; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
# Waits (bounded) until file $1 has a line starting with $2.
wait_line() {
  for _ in $(seq 1 $((timeout_s * 10))); do grep -q "^$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; return 1
}

# --- ours -----------------------------------------------------------------------------------------
rm -rf "$out/ours" && mkdir -p "$out/ours"
java -jar "$jar" dht-node --port 0 --bind 127.0.0.1 > "$out/ours/node.log" 2>&1 & pids+=($!)
wait_line "$out/ours/node.log" "listening: udp"
boot=$(sed -n 's/^listening: udp //p' "$out/ours/node.log")
java -jar "$jar" seed "$torrent" --data "$data" --port 0 --bind 127.0.0.1 --bootstrap "$boot" --encryption disabled \
  > "$out/ours/seed.log" 2>&1 & pids+=($!)
wait_line "$out/ours/seed.log" "listening: udp"
t0=$(now)
get_pids=()
for i in $(seq 1 "$downloaders"); do
  java -jar "$jar" get "$torrent" -o "$out/ours/d$i" --port 0 --bind 127.0.0.1 --bootstrap "$boot" --encryption disabled \
    > "$out/ours/d$i.log" 2>&1 & pids+=($!); get_pids+=($!) # seeds until interrupted
done
ours_each=()
for i in $(seq 1 "$downloaders"); do
  wait_line "$out/ours/d$i.log" "complete: "
done
ours_all=$(echo "$(now) - $t0" | bc -l)
for i in $(seq 1 "$downloaders"); do
  ours_each+=("$(sed -n 's/^complete: .* in \([0-9.]*\) s$/\1/p' "$out/ours/d$i.log")")
done
# everyone kept serving until the last one finished; SIGTERM (like Ctrl-C; background jobs ignore
# SIGINT) makes each print what it moved
for p in "${get_pids[@]}"; do kill -TERM "$p"; done
for p in "${get_pids[@]}"; do wait "$p" || true; done
ours_down=0; ours_up=0
for i in $(seq 1 "$downloaders"); do
  ours_down=$((ours_down + $(sed -n 's/^downloaded: \([0-9]*\) bytes$/\1/p' "$out/ours/d$i.log")))
  ours_up=$((ours_up + $(sed -n 's/^uploaded: \([0-9]*\) bytes$/\1/p' "$out/ours/d$i.log")))
  diff -rq "$data/$name" "$out/ours/d$i/$name" > /dev/null || { echo "ours d$i differs" >&2; exit 1; }
done
cleanup; pids=()

# --- libtorrent -----------------------------------------------------------------------------------
rm -rf "$out/lt" && mkdir -p "$out/lt"
lt_json=$(/usr/bin/python3 "$root/bench/swarm/lt_swarm.py" --torrent "$torrent" --seed-data "$data" \
  --out "$out/lt" --downloaders "$downloaders" --timeout "$timeout_s" 2> "$out/lt/lt.log")
for i in $(seq 0 $((downloaders - 1))); do
  diff -rq "$data/$name" "$out/lt/lt-$i/$name" > /dev/null || { echo "libtorrent lt-$i differs" >&2; exit 1; }
done
lt_all=$(echo "$lt_json" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds_until_all_complete"])')
lt_down=$(echo "$lt_json" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["downloaded_bytes"])')
lt_up=$(echo "$lt_json" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["downloaders_uploaded_bytes"])')
lt_each=$(echo "$lt_json" | /usr/bin/python3 -c 'import json,sys; print(" ".join(map(str, json.load(sys.stdin)["seconds_each"])))')
lt_version=$(echo "$lt_json" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["client"])')

# --- table ----------------------------------------------------------------------------------------
pct() { printf %.1f "$(echo "100 * $1 / $2" | bc -l)"; }
mbps() { echo "scale=0; $downloaders * $total_bytes / $1 / 1000000" | bc -l; }
minmax() { printf '%s\n' "$@" | sort -g | sed -n '1p;$p' | paste -sd/ | sed 's#/# / #'; }
speed=$(printf %.2f "$(echo "$lt_all / $ours_all" | bc -l)")
section=$(cat <<TABLE
## Swarm

$(date -u +%Y-%m-%d) on $(nproc) cores, shared with other builds. One seeder -> $downloaders downloaders of
$((total_bytes >> 20)) MiB in 8 files (1 MiB pieces) on 127.0.0.1; every peer finds the others through a
loopback DHT with one bootstrap node (no peer given by address). "All complete" runs from starting the
downloaders (the seeder already listening on the DHT) until the last one holds a verified copy, as the script sees
it (ours: $downloaders JVMs each starting up; libtorrent: $downloaders sessions in one process). "Served by
downloaders" is the share of all downloaded payload that came from other downloaders rather than the
seeder. Every copy was compared with the original (diff -r).

| swarm | all complete (s) | aggregate MB/s | fastest / slowest downloader (s) | served by downloaders | speed vs libtorrent |
|---|---|---|---|---|---|
| kadtorrent x $((downloaders + 1)) | $(printf %.2f "$ours_all") | $(mbps "$ours_all") | $(minmax "${ours_each[@]}") | $(pct "$ours_up" "$ours_down")% | ${speed}x |
| $lt_version x $((downloaders + 1)) | $(printf %.2f "$lt_all") | $(mbps "$lt_all") | $(minmax $lt_each) | $(pct "$lt_up" "$lt_down")% | 1.00x |

Downloaded payload: ours $ours_down bytes, libtorrent $lt_down bytes (the torrent is $total_bytes bytes x $downloaders).
Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg).
Command: \`bench/swarm/run.sh $downloaders $mib\`
TABLE
)
results="$root/bench/RESULTS.md"
[ -f "$results" ] || printf '# Benchmark results\n\nEach section is written by its benchmark script.\n' > "$results"
/usr/bin/python3 - "$results" "$section" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2].rstrip() + "\n"
text = open(path).read()
pattern = re.compile(r"^## Swarm\n.*?(?=^## |\Z)", re.S | re.M)
text = pattern.sub(lambda m: section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
echo "$section"
