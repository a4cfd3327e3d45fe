#!/usr/bin/env bash
# Interop on loopback: kadtorrent downloads from a libtorrent seeder, and libtorrent downloads
# from a kadtorrent seeder; both copies must be byte-identical, and our -v logs must show the Fast
# extension (BEP 6, on by default in libtorrent) negotiated both ways. Installs python3-libtorrent when
# missing. Usage: bench/wire/interop.sh [TOTAL_BYTES]   (default 24 MB)
# ENCRYPTION=require makes both sides require MSE/PE RC4 (libtorrent pe_forced + pe_rc4, ours
# --encryption require), so nothing passes in plain text; default: both plain text.
set -euo pipefail
source "$(dirname "$0")/common.sh"
ensure_tools
TOTAL="${1:-24000000}"
ENCRYPTION="${ENCRYPTION:-disabled}"
export LT_ENCRYPTION="$ENCRYPTION"
OURS=(--encryption "$ENCRYPTION")
echo "encryption: $ENCRYPTION on both sides"
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do stop "$p"; done; rm -rf "$WORK"; }
trap cleanup EXIT

# fast_negotiated LOG: our -v log shows libtorrent and we both speak the Fast extension (BEP 6)
fast_negotiated() {
  grep -m1 'Fast extension (BEP 6) negotiated' "$1" || { echo "Fast extension not negotiated; log: $1" >&2; exit 1; }
}

/usr/bin/python3 "$WIRE_DIR/gen_data.py" "$WORK/src/data" "$TOTAL"
$LT create "$WORK/src/data" "$WORK/t.torrent" 262144

echo "== libtorrent seeds, kadtorrent downloads"
$LT seed "$WORK/t.torrent" "$WORK/src" 0 > "$WORK/lt_seed.out" 2>&1 & PIDS+=($!)
port=$(wait_port "$WORK/lt_seed.out")
timeout 300 java -jar "$JAR" get "$WORK/t.torrent" -o "$WORK/ours" --peer "127.0.0.1:$port" \
  --port 0 --bind 127.0.0.1 --seed-time 0 "${OURS[@]}" -v 2> "$WORK/our_get.log"
diff -r "$WORK/src/data" "$WORK/ours/data"
echo "ok: kadtorrent copy is byte-identical"
fast_negotiated "$WORK/our_get.log"

echo "== kadtorrent seeds, libtorrent downloads"
java -jar "$JAR" seed "$WORK/t.torrent" --data "$WORK/src" --port 0 --bind 127.0.0.1 "${OURS[@]}" -v > "$WORK/our_seed.out" 2>&1 & PIDS+=($!)
port=$(wait_port "$WORK/our_seed.out")
timeout 300 $LT get "$WORK/t.torrent" "$WORK/lt" "127.0.0.1:$port"
diff -r "$WORK/src/data" "$WORK/lt/data"
echo "ok: libtorrent copy is byte-identical"
fast_negotiated "$WORK/our_seed.out"
echo "interop: PASS"
