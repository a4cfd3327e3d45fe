#!/usr/bin/env bash
# What MSE/PE encryption costs on loopback: one seeder -> one downloader of a generated multi-file torrent,
# each pair with encryption off (both sides plain text only) and required (both sides RC4 only):
# kadtorrent -> kadtorrent, libtorrent -> kadtorrent and, as the reference, libtorrent -> libtorrent.
# All four seeders (ours and libtorrent's, off and required) run throughout; the six downloads take turns
# within each round, so a change in the machine's load hits them alike. Prints the medians and, per pair,
# required / off (time ratio: 1.00 = free, 1.50 = half again as long). Does not touch bench/RESULTS.md.
# Usage: bench/wire/crypto.sh [TOTAL_BYTES] [PIECE_BYTES] [ROUNDS]   (default 512 MiB, 1 MiB, 3)
set -euo pipefail
source "$(dirname "$0")/common.sh"
ensure_tools
TOTAL="${1:-536870912}"
PIECE="${2:-1048576}"
REPS="${3:-3}"
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do stop "$p"; done; rm -rf "$WORK"; }
trap cleanup EXIT
now() { date +%s.%N; }

/usr/bin/python3 "$WIRE_DIR/gen_data.py" "$WORK/src/data" "$TOTAL"
$LT create "$WORK/src/data" "$WORK/t.torrent" "$PIECE"
cat "$WORK"/src/data/* "$WORK"/src/data/*/* "$WORK"/src/data/*/*/* > /dev/null 2>&1 || true  # hot cache
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# policy MODE: our --encryption and libtorrent's LT_ENCRYPTION for off / req
policy() { [ "$1" = req ] && echo require || echo disabled; }

# start_seeder KIND MODE: sets SEED_PORT
start_seeder() {
  local out="$WORK/seed_$1_$2.out" p; p=$(policy "$2")
  if [ "$1" = ours ]; then
    java -jar "$JAR" seed "$WORK/t.torrent" --data "$WORK/src" --port 0 --bind 127.0.0.1 \
      --encryption "$p" > "$out" 2>&1 &
  else
    LT_ENCRYPTION="$p" $LT seed "$WORK/t.torrent" "$WORK/src" 0 > "$out" 2>&1 &
  fi
  PIDS+=("$!")
  SEED_PORT=$(wait_port "$out")
}

# download KIND MODE PORT: prints the downloader's own seconds from adding the torrent to a verified copy
download() {
  local dest="$WORK/dl" line p; p=$(policy "$2")
  rm -rf "$dest"; sync
  if [ "$1" = ours ]; then
    line=$(timeout 900 java -jar "$JAR" get "$WORK/t.torrent" -o "$dest" --peer "127.0.0.1:$3" \
      --port 0 --bind 127.0.0.1 --seed-time 0 --encryption "$p" 2>/dev/null | grep '^complete:')
    echo "$line" | awk '{print $(NF-1)}'
  else
    line=$(LT_ENCRYPTION="$p" timeout 900 $LT get "$WORK/t.torrent" "$dest" "127.0.0.1:$3" | grep '^complete:')
    echo "$line" | awk '{print $2}'
  fi
  diff -r -q "$WORK/src/data" "$dest/data" > /dev/null || { echo "copy differs" >&2; exit 1; }
}

declare -A runs port
for kind in ours lt; do
  for mode in off req; do start_seeder "$kind" "$mode"; port[$kind:$mode]=$SEED_PORT; done
done
PAIRS="ours:ours lt:ours lt:lt"
for r in $(seq "$REPS"); do
  for pair in $PAIRS; do
    for mode in off req; do
      seeder=${pair%%:*}; getter=${pair##*:}
      t=$(download "$getter" "$mode" "${port[$seeder:$mode]}")
      echo "$seeder -> $getter, encryption $mode, round $r: $t s" >&2
      runs[$pair:$mode]+="$t "
    done
  done
done

median() { echo "$1" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
mb() { awk -v s="$1" -v t="$TOTAL" 'BEGIN {printf "%.0f", t / s / 1e6}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b / a}'; }
echo
echo "MSE/PE cost: $(awk -v t="$TOTAL" 'BEGIN {printf "%.0f", t / 1048576}') MiB, piece $PIECE bytes, loopback, hot cache, $REPS rounds, $(nproc) cores,"
echo "load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M') UTC"
echo
echo "| seeder -> downloader | off: median s (MB/s) | required (RC4): median s (MB/s) | required / off | every round off; required (s) |"
echo "|---|---|---|---|---|"
for pair in $PAIRS; do
  name=$(echo "$pair" | sed 's/lt/libtorrent/g; s/ours/kadtorrent/g; s/:/ -> /')
  off=$(median "${runs[$pair:off]}"); req=$(median "${runs[$pair:req]}")
  echo "| $name | $off ($(mb "$off")) | $req ($(mb "$req")) | $(ratio "$off" "$req") | ${runs[$pair:off]% }; ${runs[$pair:req]% } |"
done
echo
echo "Command: \`bench/wire/crypto.sh $TOTAL $PIECE $REPS\` (libtorrent $(/usr/bin/python3 -c 'import libtorrent; print(libtorrent.__version__)'))."
