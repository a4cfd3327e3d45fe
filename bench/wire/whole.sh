#!/usr/bin/env bash
# Whole-process `get` from one libtorrent seeder on loopback: kadtorrent's CLI, both ways the README
# starts it (the ./kadtorrent launcher, and java -jar), against libtorrent's downloader (lt_peer.py
# get), each timed from exec to exit, as a user waits for it. For each piece size
# one libtorrent seeder serves the generated 1 GiB tree; the downloaders take turns within each round
# (which goes first alternates), every copy is checked with diff, and the table compares medians.
# Our CLI's output lines are timestamped on arrival, which splits our wall time into phases: JVM start to
# `listening:`, to the peer connected (handshake done; the first block follows one round trip later),
# to `complete:` (every piece verified on disk), and from `complete:` to the process's exit.
# Writes the table to bench/RESULTS.md under "## Whole-process get" (unless B_JAR/B_OPTS is set).
#
# Usage: bench/wire/whole.sh [TOTAL_BYTES] [ROUNDS]          (default 1 GiB, 5 rounds)
#   PIECES="262144 1048576"   piece sizes, one seeder each in turn
#   A_OPTS="..."              extra JVM options for our downloader (default none)
#   B_JAR=path B_OPTS="..."   an A/B experiment: a third downloader, ours with this jar and/or options,
#                             runs in every round too and gets its own row (RESULTS.md is then left alone)
set -euo pipefail
source "$(dirname "$0")/common.sh"
ensure_tools
TOTAL="${1:-1073741824}"
REPS="${2:-5}"
PIECES="${PIECES:-262144 1048576}"
A_OPTS="${A_OPTS:-}"
B_JAR="${B_JAR:-}"
B_OPTS="${B_OPTS:-}"
AB=0; if [ -n "$B_JAR" ] || [ -n "$B_OPTS" ]; then AB=1; B_JAR="${B_JAR:-$JAR}"; fi
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do stop "$p"; done; rm -rf "$WORK"; }
trap cleanup EXIT
# debug lines of this one logger only: "peer ... connected" and "complete" (one line per peer, none per block)
TRACE="-Dorg.slf4j.simpleLogger.log.io.kadtorrent.engine.session.Torrent=debug"
# plain text like lt_peer.py's libtorrent, so no encrypted first dial is refused and retried (B_JAR may lack the flag)
OURS_ENC="--encryption disabled"

/usr/bin/python3 "$WIRE_DIR/gen_data.py" "$WORK/src/data" "$TOTAL"
for p in $PIECES; do $LT create "$WORK/src/data" "$WORK/t$p.torrent" "$p"; done
cat "$WORK"/src/data/* "$WORK"/src/data/*/* "$WORK"/src/data/*/*/* > /dev/null 2>&1 || true  # hot cache
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# stamp: prefixes each line with the time it arrived (bash's clock, no fork per line)
stamp() { local l; while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done; }
# since LOG T0 PATTERN: seconds from T0 to the first line of LOG matching PATTERN ("" if none)
since() { awk -v t0="$2" -v re="$3" '$0 ~ re {printf "%.3f", $1 - t0; exit}' "$1"; }

# download KIND TORRENT PORT: one verified download; prints
# "<wall> <internal> <to listening> <to connected> <to complete line> <complete line to exit>"
# (the last four only for our CLI; "-" for libtorrent)
download() {
  local kind="$1" torrent="$2" port="$3" dest="$WORK/dl" log="$WORK/$1.log" t0 t1 st=0
  rm -rf "$dest"; sync  # no dirty pages of the previous download are written back during this one
  t0=$EPOCHREALTIME
  case "$kind" in
    ours) KADTORRENT_JAVA_OPTS="$TRACE $A_OPTS" timeout 900 "$ROOT/kadtorrent" get "$torrent" -o "$dest" \
            --peer "127.0.0.1:$port" --port 0 --bind 127.0.0.1 --seed-time 0 $OURS_ENC 2>&1 | stamp > "$log" || st=$? ;;
    ours-jar) timeout 900 java $TRACE $A_OPTS -jar "$JAR" get "$torrent" -o "$dest" --peer "127.0.0.1:$port" \
            --port 0 --bind 127.0.0.1 --seed-time 0 $OURS_ENC 2>&1 | stamp > "$log" || st=$? ;;
    ours-b) timeout 900 java $TRACE $B_OPTS -jar "$B_JAR" get "$torrent" -o "$dest" --peer "127.0.0.1:$port" \
            --port 0 --bind 127.0.0.1 --seed-time 0 2>&1 | stamp > "$log" || st=$? ;;
    lt) timeout 900 $LT get "$torrent" "$dest" "127.0.0.1:$port" 2>&1 | stamp > "$log" || st=$? ;;
  esac
  t1=$EPOCHREALTIME
  if [ "$st" != 0 ] || ! grep -q ' complete: ' "$log"; then echo "$kind failed ($st):" >&2; cat "$log" >&2; exit 1; fi
  diff -r -q "$WORK/src/data" "$dest/data" > /dev/null || { echo "$kind: copy differs" >&2; exit 1; }
  local wall internal
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
  if [ "$kind" = lt ]; then
    internal=$(awk '$2 == "complete:" {print $3; exit}' "$log")
    echo "$wall $internal - - - -"
  else
    internal=$(awk '$2 == "complete:" {print $(NF-1); exit}' "$log")
    local c; c=$(awk '$2 == "complete:" {print $1; exit}' "$log")
    echo "$wall $internal $(since "$log" "$t0" ' listening: tcp ') $(since "$log" "$t0" ' connected(, .*)?$')" \
      "$(since "$log" "$t0" ' complete: ')" "$(awk -v a="$c" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')"
  fi
}

median() { echo "$1" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
ratio() { awk -v ours="$1" -v lt="$2" 'BEGIN {printf "%.2f", lt / ours}'; }
minmax() { echo "$1" | tr ' ' '\n' | grep . | sort -n | awk 'NR == 1 {a = $1} {b = $1} END {printf "%.2f-%.2f", a, b}'; }
KINDS="ours ours-jar lt"; [ "$AB" = 1 ] && KINDS="ours ours-jar ours-b lt"
"$ROOT/kadtorrent" --version > /dev/null  # the launcher's first run dumps its start-up archive: not timed
declare -A wall internal listen conn comp tail
for p in $PIECES; do
  out="$WORK/seed$p.out"
  $LT seed "$WORK/t$p.torrent" "$WORK/src" 0 > "$out" 2>&1 &
  PIDS+=("$!")
  port=$(wait_port "$out")
  for r in $(seq 0 "$REPS"); do  # round 0 warms the caches (jar, JDK, Python modules) and is not counted
    order=$KINDS; [ $((r % 2)) = 1 ] && order=$(echo "$KINDS" | tr ' ' '\n' | tac | tr '\n' ' ')
    for k in $order; do
      read -r w i l c m t < <(download "$k" "$WORK/t$p.torrent" "$port")
      echo "piece $p round $r $k: wall $w s, own clock $i s, listening $l, connected $c, complete $m, exit +$t" >&2
      [ "$r" = 0 ] && continue
      wall[$p:$k]+="$w "; internal[$p:$k]+="$i "; listen[$p:$k]+="$l "; conn[$p:$k]+="$c "
      comp[$p:$k]+="$m "; tail[$p:$k]+="$t "
    done
  done
  stop "${PIDS[-1]}"; unset 'PIDS[-1]'
done

table="$WORK/table.md"
{
  echo "## Whole-process get"
  echo
  echo "\`get\` of $(awk -v t="$TOTAL" 'BEGIN {printf "%.2f", t / 1073741824}') GiB (8 files, one empty) from one libtorrent seeder over loopback, hot page cache: our CLI"
  echo "against libtorrent's downloader (\`lt_peer.py get\`), each timed as a whole process from exec to exit."
  echo "$REPS counted rounds per piece size after one warm-up round; in each round the downloaders take turns"
  echo "(which goes first alternates); \`sync\` before each. Measured $(date -u '+%Y-%m-%d %H:%M') UTC on $(nproc) cores."
  echo "Ratio = libtorrent's median wall / our median wall (>1: we are faster)."
  echo
  echo "| piece size | downloader | median wall (s) | range (s) | ratio vs libtorrent | median own clock (s) | every round, wall (s) |"
  echo "|---|---|---|---|---|---|---|"
  for p in $PIECES; do
    ltw=$(median "${wall[$p:lt]}")
    for k in $KINDS; do
      name=$k; [ "$k" = lt ] && name=libtorrent; [ "$k" = ours ] && name="kadtorrent (./kadtorrent)"
      [ "$k" = ours-jar ] && name="kadtorrent (java -jar)"; [ "$k" = ours-b ] && name="kadtorrent B"
      echo "| $((p / 1024)) KiB | $name | $(median "${wall[$p:$k]}") | $(minmax "${wall[$p:$k]}") | $(ratio "$(median "${wall[$p:$k]}")" "$ltw") | $(median "${internal[$p:$k]}") | ${wall[$p:$k]% } |"
    done
  done
  echo
  echo "Where our wall time goes (medians over the rounds, seconds; each phase's median, so they need not add up):"
  echo
  echo "| piece size | downloader | exec to \`listening:\` | \`listening:\` to peer connected | connected to \`complete:\` | \`complete:\` to exit | wall |"
  echo "|---|---|---|---|---|---|---|"
  for p in $PIECES; do
    for k in $KINDS; do
      [ "$k" = lt ] && continue
      name="kadtorrent (./kadtorrent)"; [ "$k" = ours-jar ] && name="kadtorrent (java -jar)"
      [ "$k" = ours-b ] && name="kadtorrent B"
      d1=$(paste -d' ' <(echo "${listen[$p:$k]}" | tr ' ' '\n' | grep .) <(echo "${conn[$p:$k]}" | tr ' ' '\n' | grep .) | awk '{printf "%.3f ", $2 - $1}')
      d2=$(paste -d' ' <(echo "${conn[$p:$k]}" | tr ' ' '\n' | grep .) <(echo "${comp[$p:$k]}" | tr ' ' '\n' | grep .) | awk '{printf "%.3f ", $2 - $1}')
      echo "| $((p / 1024)) KiB | $name | $(median "${listen[$p:$k]}") | $(median "$d1") | $(median "$d2") | $(median "${tail[$p:$k]}") | $(median "${wall[$p:$k]}") |"
    done
  done
  echo
  echo "Load average (1, 5, 15 min) before: $load_before; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  [ -n "$A_OPTS" ] && echo "Our JVM options: \`$A_OPTS\`."
  [ "$AB" = 1 ] && echo "B: jar \`$B_JAR\`, JVM options \`$B_OPTS\`."
  echo
  echo "Command: \`bench/wire/whole.sh $TOTAL $REPS\` (libtorrent $(/usr/bin/python3 -c 'import libtorrent; print(libtorrent.__version__)'), $(java -version 2>&1 | head -1))."
  echo "Our downloader runs as \`./kadtorrent get T.torrent -o DIR --peer 127.0.0.1:PORT --port 0 --bind 127.0.0.1"
  echo "--seed-time 0 $OURS_ENC\` (the launcher maps its class-data-sharing archive, made once per build) and as \`java -jar"
  echo "client/target/kadtorrent.jar get ...\` with the same arguments; both with \`$TRACE\`, which turns on"
  echo "one logger's debug lines (\"peer ... connected\"), once per peer, to time the phases."
} > "$table"
cat "$table"
if [ "$AB" = 0 ] && [ -z "$A_OPTS" ]; then
  /usr/bin/python3 - "$ROOT/bench/RESULTS.md" "$table" <<'PY'
import re, sys, os
path, table = sys.argv[1], open(sys.argv[2]).read().rstrip() + "\n"
text = open(path).read() if os.path.exists(path) else "# Benchmark results\n"
pattern = re.compile(r"^## Whole-process get\n.*?(?=^## |\Z)", re.S | re.M)
if pattern.search(text):
    text = pattern.sub(lambda m: table + "\n", text)
else:  # after the Transfer section
    m = re.search(r"^## Transfer\n.*?(?=^## |\Z)", text, re.S | re.M)
    text = text[:m.end()] + table + "\n" + text[m.end():] if m else text.rstrip() + "\n\n" + table
open(path, "w").write(text)
PY
fi
