#!/usr/bin/env bash
# Interop matrix on loopback: kadtorrent against libtorrent (python3-libtorrent), Transmission 3.00
# (transmission-daemon + transmission-remote) and aria2, in both directions (the reference client seeds
# and `kadtorrent get` downloads; `kadtorrent seed` serves and the reference client downloads), once in
# plain text and once with encryption (MSE/PE RC4) required on both sides. Every copy is diffed byte for
# byte against the source. Prints a table (case, direction, result, seconds) and exits non-zero if any
# case fails.
#
# Usage: bench/interop/matrix.sh [TOTAL_BYTES]          (default 8 MB in 8 files, one of them empty)
#   MODES="plain require default"  which modes to run (default: "plain require"); "default" leaves every
#                                  client at its own defaults (ours: prefer encryption)
#   CLIENTS="libtorrent transmission aria2"   which reference clients (default: all three)
#   CASE_TIMEOUT=180               seconds any one transfer may take
#   KEEP_LOGS=DIR                  copy each case's logs there (default: dropped with the temp folder)
#   TR_LOG_LEVEL=3                 Transmission's message-level (3: debug, with every peer message)
#
# Everything stays on loopback: every client binds 127.0.0.1 only, with DHT, local peer discovery, PEX,
# uTP, UPnP/NAT-PMP and blocklists off, and the torrent names no tracker. Transmission 3.00 never dials
# a peer on 127.0.0.0/8 (it treats loopback addresses as unusable for peers, whatever their source), but
# accepts connections from one; so when Transmission or aria2 downloads, our seed is given its port with
# --peer and dials it. Every process started here is stopped when its case ends (and on exit).
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../wire/common.sh"
TOTAL="${1:-8000000}"
MODES="${MODES:-plain require}"
CLIENTS="${CLIENTS:-libtorrent transmission aria2}"
CASE_TIMEOUT="${CASE_TIMEOUT:-180}"

ensure_matrix_tools() {
  ensure_tools # python3-libtorrent and the kadtorrent jar
  local missing=()
  command -v transmission-daemon >/dev/null || missing+=(transmission-daemon)
  command -v transmission-remote >/dev/null || missing+=(transmission-cli)
  command -v aria2c >/dev/null || missing+=(aria2)
  if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  # Debian's package may start a system transmission-daemon service; the matrix runs its own
  # instances only and never relies on (or touches) that one.
}
ensure_matrix_tools >&2 || { echo "matrix: cannot install the reference clients" >&2; exit 2; }

WORK="$(mktemp -d)"
CASE_PID=""
on_exit() {
  if [ -n "$CASE_PID" ]; then kill -TERM "$CASE_PID" 2>/dev/null; wait "$CASE_PID" 2>/dev/null; fi
  rm -rf "$WORK"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

/usr/bin/python3 "$WIRE_DIR/gen_data.py" "$WORK/src/data" "$TOTAL" >/dev/null
$LT create "$WORK/src/data" "$WORK/t.torrent" 262144

# free_port: a TCP port on 127.0.0.1 that nobody listens on right now
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_listen PORT: waits (max 60 s) until something listens on 127.0.0.1:PORT
wait_listen() {
  local i
  for i in $(seq 600); do
    ss -ltnH "sport = :$1" 2>/dev/null | grep -q . && return 0
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2
  return 1
}

# same_data DIR [CLIENT]: DIR/data equals the source byte for byte. With CLIENT (Transmission 3.00 only),
# a zero-length file of the torrent may be absent: Transmission before 4.1 never creates empty files
# (its issue 417, fixed by its pull request 6232); each one is named, checked empty in the source and
# then created here, so that diff still compares every other file and every name.
same_data() {
  local copy="$1/data" rel
  if [ -n "${2:-}" ]; then
    while IFS= read -r -d '' rel; do
      if [ ! -e "$copy/$rel" ]; then
        echo "note: $2 did not create the empty file $rel (known limitation)"
        mkdir -p "$(dirname "$copy/$rel")" && : > "$copy/$rel"
      fi
    done < <(cd "$WORK/src/data" && find . -type f -empty -print0)
  fi
  diff -r "$WORK/src/data" "$copy" && echo "ok: $copy is byte-identical"
}

# our_mode MODE / lt_mode / tr_mode / aria_mode: each side's encryption settings for a mode
our_mode() { case "$1" in plain) echo disabled;; require) echo require;; default) echo prefer;; esac; }
lt_mode() { case "$1" in plain) echo disabled;; require) echo require;; default) echo default;; esac; }
tr_mode() { case "$1" in plain) echo 0;; require) echo 2;; default) echo 1;; esac; } # tolerated/required/preferred
aria_mode() {
  case "$1" in
    plain) echo "--bt-require-crypto=false --bt-min-crypto-level=plain";;
    require) echo "--bt-require-crypto=true --bt-min-crypto-level=arc4";;
    default) echo "";;
  esac
}

# ours_get DIR HOST:PORT MODE: kadtorrent downloads the torrent into DIR from that one peer, then exits
ours_get() {
  timeout "$CASE_TIMEOUT" java -jar "$JAR" get "$WORK/t.torrent" -o "$1" --peer "$2" --port 0 --bind 127.0.0.1 \
    --seed-time 0 --encryption "$(our_mode "$3")" -v 2> "$C/our_get.log"
}

# ours_seed MODE [PEER]: kadtorrent serves the source in the background (dialling PEER if given)
ours_seed() {
  local peer=()
  [ -n "${2:-}" ] && peer=(--peer "$2")
  java -jar "$JAR" seed "$WORK/t.torrent" --data "$WORK/src" --port 0 --bind 127.0.0.1 \
    --encryption "$(our_mode "$1")" "${peer[@]}" -v > "$C/our_seed.log" 2>&1 &
  PIDS+=($!)
}

# --- libtorrent -----------------------------------------------------------------------------------
libtorrent_seeds() {
  LT_ENCRYPTION="$(lt_mode "$1")" $LT seed "$WORK/t.torrent" "$WORK/src" 0 > "$C/lt_seed.log" 2>&1 & PIDS+=($!)
  local port; port=$(wait_port "$C/lt_seed.log") || return 1
  start_clock
  ours_get "$C/ours" "127.0.0.1:$port" "$1" || { echo "kadtorrent get failed"; tail -20 "$C/our_get.log"; return 1; }
  stop_clock
  same_data "$C/ours"
}

libtorrent_gets() {
  ours_seed "$1"
  local port; port=$(wait_port "$C/our_seed.log") || return 1
  start_clock
  LT_ENCRYPTION="$(lt_mode "$1")" timeout "$CASE_TIMEOUT" $LT get "$WORK/t.torrent" "$C/lt" "127.0.0.1:$port" \
    > "$C/lt_get.log" 2>&1 || { echo "libtorrent get failed"; tail -5 "$C/lt_get.log"; return 1; }
  stop_clock
  same_data "$C/lt"
}

# --- Transmission ---------------------------------------------------------------------------------
# tr_start MODE DOWNLOAD_DIR: a transmission-daemon in the foreground with its own config folder, on
# loopback only; sets TR_RPC (its RPC address) and TR_PEER (its peer port)
tr_start() {
  local conf="$C/trconf"
  mkdir -p "$conf" "$2"
  TR_PEER=$(free_port); local rpc; rpc=$(free_port)
  cat > "$conf/settings.json" <<JSON
{
  "bind-address-ipv4": "127.0.0.1",
  "bind-address-ipv6": "::1",
  "peer-port": $TR_PEER,
  "peer-port-random-on-start": false,
  "port-forwarding-enabled": false,
  "dht-enabled": false,
  "lpd-enabled": false,
  "pex-enabled": false,
  "utp-enabled": false,
  "blocklist-enabled": false,
  "encryption": $(tr_mode "$1"),
  "download-dir": "$2",
  "incomplete-dir-enabled": false,
  "watch-dir-enabled": false,
  "rename-partial-files": false,
  "start-added-torrents": true,
  "ratio-limit-enabled": false,
  "idle-seeding-limit-enabled": false,
  "speed-limit-up-enabled": false,
  "speed-limit-down-enabled": false,
  "alt-speed-enabled": false,
  "rpc-enabled": true,
  "rpc-bind-address": "127.0.0.1",
  "rpc-port": $rpc,
  "rpc-authentication-required": false,
  "rpc-whitelist-enabled": true,
  "rpc-whitelist": "127.0.0.1",
  "rpc-host-whitelist-enabled": false,
  "message-level": ${TR_LOG_LEVEL:-2}
}
JSON
  transmission-daemon -f -g "$conf" > "$C/transmission.log" 2>&1 & PIDS+=($!)
  TR_RPC="127.0.0.1:$rpc"
  local i
  for i in $(seq 300); do
    transmission-remote "$TR_RPC" -l >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "transmission-daemon RPC did not answer"; tail -20 "$C/transmission.log"; return 1
}

# tr_done: waits (bounded) until Transmission's only torrent is 100% present
tr_wait_done() {
  local i
  for i in $(seq $((CASE_TIMEOUT * 5))); do
    transmission-remote "$TR_RPC" -t 1 -i 2>/dev/null | grep -q 'Percent Done: 100%' && return 0
    sleep 0.2
  done
  echo "Transmission did not reach 100%:"; transmission-remote "$TR_RPC" -t 1 -i 2>&1 | head -30
  return 1
}

transmission_seeds() {
  tr_start "$1" "$WORK/src" || return 1
  transmission-remote "$TR_RPC" -a "$WORK/t.torrent" -w "$WORK/src" >/dev/null || return 1
  tr_wait_done || return 1 # the data checked
  wait_listen "$TR_PEER" || return 1
  start_clock
  ours_get "$C/ours" "127.0.0.1:$TR_PEER" "$1" || { echo "kadtorrent get failed"; tail -20 "$C/our_get.log"; return 1; }
  stop_clock
  same_data "$C/ours"
}

transmission_gets() {
  tr_start "$1" "$C/tr" || return 1
  transmission-remote "$TR_RPC" -a "$WORK/t.torrent" -w "$C/tr" >/dev/null || return 1
  wait_listen "$TR_PEER" || return 1
  start_clock
  ours_seed "$1" "127.0.0.1:$TR_PEER" # Transmission never dials loopback: we dial it
  tr_wait_done || { tail -20 "$C/our_seed.log"; return 1; }
  stop_clock
  stop "${PIDS[0]}" # the daemon flushes its cache and closes the files
  same_data "$C/tr" "Transmission 3.00"
}

# --- aria2 ----------------------------------------------------------------------------------------
# aria_run MODE DIR PORT SEED_MINUTES: aria2c on the torrent, BitTorrent on 127.0.0.1:PORT only. Run in
# the background only: it execs, so $! is the process to stop (timeout, which passes the signal on).
aria_run() {
  # shellcheck disable=SC2046 # the crypto flags are meant to split
  exec timeout "$CASE_TIMEOUT" aria2c --no-conf=true --enable-dht=false --enable-dht6=false --bt-enable-lpd=false \
    --enable-peer-exchange=false --listen-port="$3" --interface=127.0.0.1 --disable-ipv6=true \
    --check-integrity=true --seed-time="$4" --seed-ratio=0.0 --summary-interval=0 --console-log-level=warn \
    --file-allocation=none --auto-save-interval=0 $(aria_mode "$1") -d "$2" "$WORK/t.torrent"
}

aria2_seeds() {
  local port; port=$(free_port)
  CASE_TIMEOUT=$((CASE_TIMEOUT + 120)) aria_run "$1" "$WORK/src" "$port" 10 > "$C/aria2.log" 2>&1 & PIDS+=($!)
  wait_listen "$port" || { tail -20 "$C/aria2.log"; return 1; }
  start_clock
  ours_get "$C/ours" "127.0.0.1:$port" "$1" || { echo "kadtorrent get failed"; tail -20 "$C/our_get.log"; return 1; }
  stop_clock
  same_data "$C/ours"
}

aria2_gets() {
  local port; port=$(free_port)
  mkdir -p "$C/a2"
  start_clock
  aria_run "$1" "$C/a2" "$port" 0 > "$C/aria2.log" 2>&1 & local aria=$!
  PIDS+=($aria)
  wait_listen "$port" || { tail -20 "$C/aria2.log"; return 1; }
  ours_seed "$1" "127.0.0.1:$port" # aria2 learns of no peer itself (no tracker, DHT or PEX here)
  wait "$aria" || { echo "aria2c failed"; tail -20 "$C/aria2.log"; tail -20 "$C/our_seed.log"; return 1; }
  stop_clock
  same_data "$C/a2"
}

# --- the matrix -----------------------------------------------------------------------------------
start_clock() { date +%s.%N > "$C/t0"; }
stop_clock() { date +%s.%N > "$C/t1"; }

# run_case NAME FUNCTION MODE: runs one case in a subshell that stops every process it started
ROWS=()
NOTES=()
FAILED=0
run_case() {
  local name="$1" fn="$2" mode="$3"
  C="$WORK/case-$name"
  mkdir -p "$C"
  (
    PIDS=()
    cleanup_case() { local i; for ((i=${#PIDS[@]}-1; i>=0; i--)); do stop "${PIDS[i]}"; done; }
    trap cleanup_case EXIT
    trap 'exit 143' TERM
    "$fn" "$mode"
  ) > "$C/out.log" 2>&1 &
  CASE_PID=$!
  wait "$CASE_PID"; local rc=$?
  CASE_PID=""
  local secs="-"
  if [ $rc -eq 0 ] && [ -f "$C/t1" ]; then
    secs=$(awk -v a="$(cat "$C/t0")" -v b="$(cat "$C/t1")" 'BEGIN { printf "%.1f", b - a }')
  fi
  local result=PASS
  grep -q '^note:' "$C/out.log" && result='PASS*'
  if [ $rc -ne 0 ]; then
    result=FAIL; FAILED=1
    echo "--- $name failed (exit $rc):"; sed 's/^/    /' "$C/out.log" | tail -30
  fi
  ROWS+=("$name|$4|$result|$secs")
  NOTES+=("$(grep '^note:' "$C/out.log" | sed "s/^note:/  * $name:/")")
  echo "case $name: $result ${secs}s"
  if [ -n "${KEEP_LOGS:-}" ]; then mkdir -p "$KEEP_LOGS/$name"; cp "$C"/*.log "$KEEP_LOGS/$name/" 2>/dev/null; fi
}

echo "interop matrix: $(du -sb "$WORK/src/data" | cut -f1) bytes; modes: $MODES; clients: $CLIENTS"
for mode in $MODES; do
  for client in $CLIENTS; do
    case "$client" in
      libtorrent) run_case "libtorrent-$mode-seeds" libtorrent_seeds "$mode" "libtorrent -> kadtorrent"
                  run_case "libtorrent-$mode-gets" libtorrent_gets "$mode" "kadtorrent -> libtorrent";;
      transmission) run_case "transmission-$mode-seeds" transmission_seeds "$mode" "transmission -> kadtorrent"
                    run_case "transmission-$mode-gets" transmission_gets "$mode" "kadtorrent -> transmission";;
      aria2) run_case "aria2-$mode-seeds" aria2_seeds "$mode" "aria2 -> kadtorrent"
             run_case "aria2-$mode-gets" aria2_gets "$mode" "kadtorrent -> aria2";;
      *) echo "unknown client $client" >&2; exit 2;;
    esac
  done
done

echo
printf '%-28s %-28s %-6s %s\n' case direction result seconds
for row in "${ROWS[@]}"; do
  IFS='|' read -r name dir result secs <<< "$row"
  printf '%-28s %-28s %-6s %s\n' "$name" "$dir" "$result" "$secs"
done
printf '%s\n' "${NOTES[@]}" | grep . && echo "  (* passed with the note above)"
if [ $FAILED -ne 0 ]; then echo "interop matrix: FAIL"; exit 1; fi
echo "interop matrix: PASS"
