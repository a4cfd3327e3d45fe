#!/usr/bin/env bash
# CLI start-up benchmark (issue 13, item 6): the whole `./kadtorrent ls --state S` against a running daemon,
# `./kadtorrent create <1 MB file> -o x.torrent` and `./kadtorrent --version`, each median (and min/max) of
# N runs (default 10), wall time of the launcher process as a user runs it. The launcher's caches are built
# once before timing (first run). Starts its own daemon on loopback and stops it; nothing outside bench/out.
# Usage: bench/startup/run.sh [N]          KADTORRENT_JAVA_HOME=... picks the JDK as the launcher does.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
n="${1:-10}"
kt="$root/kadtorrent"
out="$root/bench/out/startup"
rm -rf "$out" && mkdir -p "$out"
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

head -c 1000000 /dev/urandom > "$out/one.bin"
"$kt" --version > /dev/null # first run: builds the jar and the start-up caches when missing
"$kt" daemon --state "$out/state" --download-dir "$out/dl" --bind 127.0.0.1 --port 0 --http-port 0 --dht-port -1 \
  > "$out/daemon.out" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 300); do grep -q '^listening: http' "$out/daemon.out" 2>/dev/null && break; sleep 0.1; done
grep -q '^listening: http' "$out/daemon.out" || { echo "daemon did not start:" >&2; cat "$out/daemon.out" >&2; exit 1; }
"$kt" share "$out/one.bin" --state "$out/state" > /dev/null # one torrent to list
"$kt" ls --state "$out/state" > /dev/null

now() { date +%s%N; }
# timed CMD...: wall seconds of one run of CMD (stdout and stderr to files; a failure stops the benchmark)
timed() {
  local t0 t1
  t0=$(now)
  "$@" > "$out/stdout" 2> "$out/stderr" || { echo "failed: $*" >&2; cat "$out/stderr" >&2; exit 1; }
  t1=$(now)
  echo "scale=3; ($t1 - $t0) / 1000000000" | bc -l | sed 's/^\./0./'
}
stats() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "median %.3f s  min %.3f  max %.3f  (n=%d)", m, a[1], a[NR], NR}'; }
ls_t=(); create_t=(); version_t=()
for _ in $(seq 1 "$n"); do # interleaved, so a burst of load hits every command alike
  ls_t+=("$(timed "$kt" ls --state "$out/state")")
  rm -f "$out/x.torrent"
  create_t+=("$(timed "$kt" create "$out/one.bin" -o "$out/x.torrent")")
  version_t+=("$(timed "$kt" --version)")
done
echo "$(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "JVM: $(java -version 2>&1 | head -1)"
printf 'ls --state S          %s\n' "$(printf '%s\n' "${ls_t[@]}" | stats)"
printf 'create 1 MB file      %s\n' "$(printf '%s\n' "${create_t[@]}" | stats)"
printf -- '--version            %s\n' "$(printf '%s\n' "${version_t[@]}" | stats)"
