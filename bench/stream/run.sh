#!/usr/bin/env bash
# Time to the first byte of a file in the middle of a torrent, and to the first byte after a seek to
# 60 % of that file: kadtorrent's daemon stream (an HTTP Range read, timed from the POST that adds the
# torrent until curl has the byte) against libtorrent with set_piece_deadline (timed from add_torrent
# until it has the piece), both fetching from the same libtorrent seeder capped at RATE, in one run.
#   bench/stream/run.sh [TOTAL_BYTES=1073741824] [PIECE_BYTES=262144] [RATE=33554432] [ROUNDS=3]
# The file is f.bin of bench/wire/gen_data.py's tree: it starts at 51 % of the torrent.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/wire/common.sh
TOTAL="${1:-1073741824}"
PIECE="${2:-262144}"
RATE="${3:-33554432}"
ROUNDS="${4:-3}"
ensure_tools
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl; }

work="$(mktemp -d /tmp/kt-stream.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do stop "$p"; done
  rm -rf "$work"
}
trap cleanup EXIT

/usr/bin/python3 "$WIRE_DIR/gen_data.py" "$work/src/data" "$TOTAL"
java -jar "$JAR" create "$work/src/data" -o "$work/t.torrent" --piece-size "$PIECE" >/dev/null
/usr/bin/python3 bench/stream/lt_stream.py seed "$work/t.torrent" "$work/src" "$RATE" >"$work/seed.log" 2>&1 &
pids+=($!)
seed_port="$(wait_port "$work/seed.log")"
torrent_b64="$(base64 -w0 "$work/t.torrent")"

echo "round lt_first ours_first lt_seek ours_seek"
for round in $(seq "$ROUNDS"); do
  rm -rf "$work/lt" && mkdir -p "$work/lt"
  lt_out="$(/usr/bin/python3 bench/stream/lt_stream.py read "$work/t.torrent" "$work/lt" "127.0.0.1:$seed_port" f.bin 0.6)"
  lt_first="$(sed -n 's/^first: //p' <<<"$lt_out")"
  lt_seek="$(sed -n 's/^seek: //p' <<<"$lt_out")"

  state="$work/state-$round"
  java -jar "$JAR" daemon --state "$state" --download-dir "$work/ours-$round" --bind 127.0.0.1 --port 0 \
    --http-port 0 --dht-port -1 --encryption disabled >"$work/daemon-$round.log" 2>&1 &
  daemon=$!
  pids+=($daemon)
  for i in $(seq 300); do [ -f "$state/daemon.json" ] && break; sleep 0.1; done
  api="http://$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['http'])" "$state/daemon.json")"
  auth="Authorization: Bearer $(cat "$state/token")"
  # timed by curl itself: the add (POST until its answer), then each read from its request to the first byte
  add_secs="$(curl -sf -o "$work/added.json" -w '%{time_total}' -H "$auth" -H 'Content-Type: application/json' \
    -d "{\"torrent\": \"$torrent_b64\", \"peers\": [\"127.0.0.1:$seed_port\"]}" "$api/api/v1/torrents")"
  hash="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["torrent"]["info_hash"])' "$work/added.json")"
  url_secs="$(curl -sf -o "$work/stream.json" -w '%{time_total}' -H "$auth" "$api/api/v1/torrents/$hash/stream?file=f.bin")"
  url="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$work/stream.json")"
  size="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["size_bytes"])' "$work/stream.json")"
  first_secs="$(curl -sf -r 0-0 -o /dev/null -w '%{time_starttransfer}' "$url")"
  at=$((size * 6 / 10))
  seek_secs="$(curl -sf -r "$at-$at" -o /dev/null -w '%{time_starttransfer}' "$url")"
  ours_first="$(python3 -c "print('%.3f' % ($add_secs + $url_secs + $first_secs))")"
  stop "$daemon"
  echo "$round $lt_first $ours_first $lt_seek $(printf '%.3f' "$seek_secs")   (ours: add $add_secs s, stream URL $url_secs s, first byte $first_secs s)"
done
