#!/usr/bin/env bash
# Transfer benchmark on loopback: one seeder -> one downloader of a generated multi-file torrent,
# kadtorrent and libtorrent side by side in the same run (same data, same piece size, hot page
# cache), plus the machine's limits. Writes the table to bench/RESULTS.md under "## Transfer".
# The four pairs take turns within each round, so a change in the machine's load hits them alike; the
# table gives each pair's median and best over the rounds, and the ratios compare medians.
# Usage: bench/wire/run.sh [TOTAL_BYTES] [PIECE_BYTES] [ROUNDS]   (default 1 GiB, 1 MiB, 5)
#   B_JAR=path   also runs an earlier kadtorrent jar ("before") in the same rounds: its seeder, and the
#                pairs before -> before, lt -> before, before -> lt, so a change is compared side by side
#                (RESULTS.md is then left alone)
set -euo pipefail
source "$(dirname "$0")/common.sh"
ensure_tools
TOTAL="${1:-1073741824}"
PIECE="${2:-1048576}"
REPS="${3:-5}"
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do stop "$p"; done; rm -rf "$WORK"; }
trap cleanup EXIT
now() { date +%s.%N; }
# plain text like lt_peer.py's libtorrent (bench/wire/crypto.sh measures encryption); older jars lack the flag
OURS_ENC="--encryption disabled"

/usr/bin/python3 "$WIRE_DIR/gen_data.py" "$WORK/src/data" "$TOTAL"
$LT create "$WORK/src/data" "$WORK/t.torrent" "$PIECE"
cat "$WORK"/src/data/* "$WORK"/src/data/*/* "$WORK"/src/data/*/*/* > /dev/null 2>&1 || true  # hot cache

sha_java=$(java "$WIRE_DIR/Sha1Speed.java")
sha_openssl=$(openssl speed -seconds 2 -bytes 1048576 -evp sha1 2>/dev/null | awk '/^sha1/ {print $2}' | sed 's/k$//')
sha_openssl=$(awk -v k="$sha_openssl" 'BEGIN {printf "%.0f", k * 1000 / 1e6}')
loop=$(/usr/bin/python3 "$WIRE_DIR/loopback_copy.py" "$TOTAL")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# start_seeder KIND: starts a seeder of the torrent; sets SEED_PID and SEED_PORT (both seeders run
# throughout; each is idle while the other serves)
start_seeder() {
  local out="$WORK/seed_$1.out"
  if [ "$1" = before ]; then
    java -jar "$B_JAR" seed "$WORK/t.torrent" --data "$WORK/src" --port 0 --bind 127.0.0.1 > "$out" 2>&1 &
  elif [ "$1" = ours ]; then
    java -jar "$JAR" seed "$WORK/t.torrent" --data "$WORK/src" --port 0 --bind 127.0.0.1 $OURS_ENC > "$out" 2>&1 &
  else
    $LT seed "$WORK/t.torrent" "$WORK/src" 0 > "$out" 2>&1 &
  fi
  SEED_PID=$!
  PIDS+=("$SEED_PID")
  SEED_PORT=$(wait_port "$out")
}

# download KIND PORT: prints "<internal seconds> <wall seconds>" for one verified download
download() {
  local dest="$WORK/dl" t0 t1 line
  rm -rf "$dest"; sync
  t0=$(now)
  if [ "$1" = ours ] || [ "$1" = before ]; then
    local jar="$JAR" enc="$OURS_ENC"; [ "$1" = before ] && { jar="$B_JAR"; enc=""; }
    line=$(timeout 900 java -jar "$jar" get "$WORK/t.torrent" -o "$dest" --peer "127.0.0.1:$2" \
      --port 0 --bind 127.0.0.1 --seed-time 0 $enc 2>/dev/null | grep '^complete:')
    internal=$(echo "$line" | awk '{print $(NF-1)}')
  else
    line=$(timeout 900 $LT get "$WORK/t.torrent" "$dest" "127.0.0.1:$2" | grep '^complete:')
    internal=$(echo "$line" | awk '{print $2}')
  fi
  t1=$(now)
  diff -r -q "$WORK/src/data" "$dest/data" > /dev/null || { echo "copy differs" >&2; exit 1; }
  echo "$internal $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')"
}

declare -A runs_internal runs_wall port
start_seeder lt; port[lt]=$SEED_PORT
start_seeder ours; port[ours]=$SEED_PORT
PAIRS="lt:lt ours:ours lt:ours ours:lt"
if [ -n "${B_JAR:-}" ]; then
  start_seeder before; port[before]=$SEED_PORT
  PAIRS="$PAIRS before:before lt:before before:lt"
fi
for r in $(seq "$REPS"); do
  for pair in $PAIRS; do
    seeder=${pair%%:*}; getter=${pair##*:}
    read -r internal wall < <(download "$getter" "${port[$seeder]}")
    echo "$seeder -> $getter round $r: ${internal} s to verified copy (${wall} s wall)" >&2
    runs_internal[$pair]+="$internal "; runs_wall[$pair]+="$wall "
  done
done

median() { echo "$1" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
best() { echo "$1" | tr ' ' '\n' | grep . | sort -n | head -1; }
mb() { awk -v s="$1" -v t="$TOTAL" 'BEGIN {printf "%.0f", t / s / 1e6}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b / a}'; }
ref=$(median "${runs_internal[lt:lt]}")
table="$WORK/table.md"
{
  echo "## Transfer"
  echo
  echo "One seeder -> one downloader over loopback, $(awk -v t="$TOTAL" 'BEGIN {printf "%.2f", t / 1073741824}') GiB in 8 files (one empty),"
  echo "piece size $PIECE bytes, hot page cache, $REPS rounds (the four pairs in turn in each round, both seeders"
  echo "running throughout); measured $(date -u +%Y-%m-%d) on $(nproc) cores."
  echo "\"Time to verified copy\" is each downloader's own clock from adding the torrent until every piece is"
  echo "verified on disk; \"wall\" includes process start and exit (JVM or Python). Speed is the median time of"
  echo "libtorrent -> libtorrent divided by the pair's median time."
  echo
  echo "| seeder -> downloader | median time to verified copy (s) | best (s) | MB/s (median) | median wall (s) | speed vs lt -> lt | every round (s) |"
  echo "|---|---|---|---|---|---|---|"
  for pair in $PAIRS; do
    name=$(echo "$pair" | sed 's/lt/libtorrent/g; s/ours/kadtorrent/g; s/before/kadtorrent before/g; s/:/ -> /')
    m=$(median "${runs_internal[$pair]}")
    echo "| $name | $m | $(best "${runs_internal[$pair]}") | $(mb "$m") | $(median "${runs_wall[$pair]}") | $(ratio "$m" "$ref") | ${runs_internal[$pair]% } |"
  done
  echo
  echo "Machine limits in the same run: SHA-1 Java MessageDigest $sha_java MB/s, OpenSSL $sha_openssl MB/s (one core);"
  echo "raw loopback TCP copy (Python, 1 MiB writes) $loop MB/s."
  echo "Load average (1, 5, 15 min) before the transfers: $load_before; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "Command: \`bench/wire/run.sh $TOTAL $PIECE $REPS\` (libtorrent $(/usr/bin/python3 -c 'import libtorrent; print(libtorrent.__version__)'), python3-libtorrent from Debian)."
} > "$table"
cat "$table"
[ -n "${B_JAR:-}" ] && { echo "(B_JAR: an A/B run; bench/RESULTS.md left alone; before = $B_JAR)"; exit 0; }
/usr/bin/python3 - "$ROOT/bench/RESULTS.md" "$table" <<'PY'
import re, sys, os
path, table = sys.argv[1], open(sys.argv[2]).read().rstrip() + "\n"
text = open(path).read() if os.path.exists(path) else "# Benchmark results\n"
pattern = re.compile(r"^## Transfer\n.*?(?=^## |\Z)", re.S | re.M)
text = pattern.sub(table + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + table
open(path, "w").write(text)
PY
