#!/usr/bin/env bash
# The interop cells beyond the matrix, against libtorrent (python3-libtorrent) on loopback:
#   tracker: a magnet with only a tr= tracker, both ways: libtorrent seeds and announces to a local tracker
#            and our `get MAGNET` finds it there alone (then fetches the metadata over BEP 9); our `seed`
#            announces and libtorrent's magnet download finds us there alone.
#   ipv6:    a swarm on ::1, both ways (given the other's address).
#   pex:     three peers, ours in the middle. libtorrent A seeds; our B downloads from A (given A's address)
#            with its uploads capped, so that the third peer is still downloading a minute later; libtorrent C
#            is given only B and must dial A, which nothing but our ut_pex can name (no tracker, DHT or LSD).
#            Then the other way: our C' is given only libtorrent B' (a slow downloader from A) and must dial A,
#            named by B's ut_pex; A lists the peer ids it saw.
# Every copy is diffed with the source. Prints one line per case and exits non-zero if any fails.
# Everything binds 127.0.0.1 or ::1; the tracker is bench/interop/tracker.py, started here.
# Usage: bench/interop/extra.sh [TOTAL_BYTES]   (default 8 MB)
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../wire/common.sh"
TOTAL="${1:-8000000}"
ensure_tools
LTX="/usr/bin/python3 $HERE/lt_extra.py"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do stop "$p"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
/usr/bin/python3 "$WIRE_DIR/gen_data.py" "$WORK/src/data" "$TOTAL" >/dev/null
$LT create "$WORK/src/data" "$WORK/t.torrent" 262144
HASH="$(java -jar "$JAR" info "$WORK/t.torrent" | sed -n 's/^info_hash: //p')"
failed=0
result() { # NAME DIR START
  local secs; secs=$(awk -v a="$3" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}')
  if diff -r -q "$WORK/src/data" "$2/data" >/dev/null 2>&1; then echo "$1 PASS ${secs}s"; else echo "$1 FAIL"; failed=1; fi
}

/usr/bin/python3 "$HERE/tracker.py" 127.0.0.1 > "$WORK/tracker.out" 2>&1 & PIDS+=($!)
tport=$(wait_port "$WORK/tracker.out")
TURL="http://127.0.0.1:$tport/announce"
MAGNET="magnet:?xt=urn:btih:$HASH&tr=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$TURL")"

# tracker: libtorrent seeds and announces; our magnet download has nothing but the tracker
$LTX seed "$WORK/t.torrent" "$WORK/src" 127.0.0.1 "$TURL" > "$WORK/lt_seed.out" 2>&1 & lt=$!; PIDS+=($lt)
wait_port "$WORK/lt_seed.out" >/dev/null
t0=$EPOCHREALTIME
timeout 180 java -jar "$JAR" get "$MAGNET" -o "$WORK/ours-tr" --port 0 --bind 127.0.0.1 --dht-port 0 \
  --seed-time 0 --encryption disabled > "$WORK/ours-tr.log" 2>&1
result "tracker-magnet libtorrent->kadtorrent" "$WORK/ours-tr" "$t0"
stop "$lt"

# tracker: we seed (a torrent naming the tracker) and announce; libtorrent's magnet download finds us there
python3 - "$WORK/t.torrent" "$WORK/t-tr.torrent" "$TURL" <<'PY'
import sys
data, url = open(sys.argv[1], 'rb').read(), sys.argv[3].encode()
assert data[:1] == b'd' and b'8:announce' not in data
open(sys.argv[2], 'wb').write(b'd8:announce%d:%s' % (len(url), url) + data[1:])  # 'announce' sorts first
PY
java -jar "$JAR" seed "$WORK/t-tr.torrent" --data "$WORK/src" --port 0 --bind 127.0.0.1 --dht-port 0 \
  --encryption disabled > "$WORK/our_seed.out" 2>&1 & ours=$!; PIDS+=($ours)
wait_port "$WORK/our_seed.out" >/dev/null
t0=$EPOCHREALTIME
timeout 180 $LTX get "$MAGNET" "$WORK/lt-tr" 127.0.0.1 > "$WORK/lt-tr.log" 2>&1
result "tracker-magnet kadtorrent->libtorrent" "$WORK/lt-tr" "$t0"
stop "$ours"

# ipv6: both ways on ::1
$LTX seed "$WORK/t.torrent" "$WORK/src" ::1 > "$WORK/lt6.out" 2>&1 & lt=$!; PIDS+=($lt)
port=$(wait_port "$WORK/lt6.out")
t0=$EPOCHREALTIME
timeout 180 java -jar "$JAR" get "$WORK/t.torrent" -o "$WORK/ours6" --peer "[::1]:$port" --port 0 --bind ::1 \
  --dht-port 0 --seed-time 0 --encryption disabled > "$WORK/ours6.log" 2>&1
result "ipv6 libtorrent->kadtorrent" "$WORK/ours6" "$t0"
stop "$lt"
java -jar "$JAR" seed "$WORK/t.torrent" --data "$WORK/src" --port 0 --bind ::1 --dht-port 0 \
  --encryption disabled > "$WORK/our6.out" 2>&1 & ours=$!; PIDS+=($ours)
port=$(wait_port "$WORK/our6.out")
t0=$EPOCHREALTIME
timeout 180 $LTX get "$WORK/t.torrent" "$WORK/lt6" ::1 "[::1]:$port" > "$WORK/lt6.log" 2>&1
result "ipv6 kadtorrent->libtorrent" "$WORK/lt6" "$t0"
stop "$ours"

# pex: libtorrent learns a peer from our ut_pex (A -- ours -- C), then we learn one from libtorrent's.
# A never dials (LT_SEED_DIALS=0), so C's connection to A is C dialling the address our ut_pex gave it.
LT_SEED_DIALS=0 $LTX seed "$WORK/t.torrent" "$WORK/src" 127.0.0.1 > "$WORK/lt_a.out" 2>&1 & lt=$!; PIDS+=($lt)
pa=$(wait_port "$WORK/lt_a.out")
java -jar "$JAR" get "$WORK/t.torrent" -o "$WORK/ours-pex" --peer "127.0.0.1:$pa" --port 0 --bind 127.0.0.1 \
  --dht-port 0 --seed-time 600 --upload-limit 16K --download-limit 16K --encryption disabled > "$WORK/ours-pex.out" 2>&1 &
ours=$!; PIDS+=($ours)
pb=$(wait_port "$WORK/ours-pex.out")
t0=$EPOCHREALTIME
if timeout 200 $LTX pex "$WORK/t.torrent" "$WORK/lt-pex" 127.0.0.1 "127.0.0.1:$pb" 150 \
    > "$WORK/lt-pex.log" 2>&1; then
  echo "pex kadtorrent->libtorrent PASS $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}')s" \
    "($(grep '^learned:' "$WORK/lt-pex.log"); A is 127.0.0.1:$pa)"
else
  echo "pex kadtorrent->libtorrent FAIL"; failed=1
fi
stop "$ours"
stop "$lt"
# the other way: libtorrent B' downloads from libtorrent A at 16 KB/s (so it stays a downloader, connected to A);
# our C' is given only B'; data from any other peer (A: we dialled it, or it dialled us) came through ut_pex
$LTX seed "$WORK/t.torrent" "$WORK/src" 127.0.0.1 > "$WORK/lt_a2.out" 2>&1 & lt=$!; PIDS+=($lt)
pa=$(wait_port "$WORK/lt_a2.out")
LT_RATE_LIMIT=16000 $LTX get "$WORK/t.torrent" "$WORK/lt-b" 127.0.0.1 "127.0.0.1:$pa" > "$WORK/lt_b.out" 2>&1 & ltb=$!
PIDS+=($ltb)
pb=$(wait_port "$WORK/lt_b.out")
t0=$EPOCHREALTIME
timeout 200 java -jar "$JAR" get "$WORK/t.torrent" -o "$WORK/ours-pex2" --peer "127.0.0.1:$pb" --port 0 \
  --bind 127.0.0.1 --dht-port 0 --seed-time 0 --encryption disabled > "$WORK/ours-pex2.log" 2>&1
other=$(grep '^from: ' "$WORK/ours-pex2.log" | grep -v "^from: 127.0.0.1:$pb " | head -1)
if [ -n "$other" ] && diff -r -q "$WORK/src/data" "$WORK/ours-pex2/data" >/dev/null 2>&1; then
  echo "pex libtorrent->kadtorrent PASS $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}')s ($other;" \
    "A is 127.0.0.1:$pa, B' 127.0.0.1:$pb)"
else
  echo "pex libtorrent->kadtorrent FAIL"; failed=1
fi
stop "$ltb"
stop "$lt"

if [ "$failed" != 0 ]; then
  for f in "$WORK"/*.log "$WORK"/*.out; do echo "== $f"; tail -5 "$f"; done >&2
fi
exit "$failed"
