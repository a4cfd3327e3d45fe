#!/usr/bin/env bash
# Restarts only, alternating between builds: each ROOT is a folder laid out like the repository (ROOT/kadtorrent,
# ROOT/client/target/kadtorrent.jar, ROOT/client/cds), so a copy of the launcher, jar and class lists of another
# commit runs beside this one, round after round, close in time. Uses the state folder that `bench/daemon/run.sh`
# left (bench/out/daemon/kt-state, its 1,000 torrents); run that first.
# For each restart: the wall time from exec until every torrent is back and seeding (asked as run.sh asks), the CPU
# time (user + system) the daemon had used by then, and, with THREADS=1, that CPU per thread (from
# /proc/PID/task/*/stat, threads of one pool summed under their name without the trailing number).
# With RSS=1 also the resident memory (VmRSS, MiB) 5 s after all are seeding, as run.sh reads it.
# KADTORRENT_JAVA_OPTS is passed on (e.g. -Xlog:class+load:file=... or -XX:+PrintCompilation).
# Usage: bench/daemon/restart.sh ROUNDS ROOT [ROOT...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/bench/out/daemon"
state="$out/kt-state"; watch="$out/kt-watch"
[ -d "$state/torrents" ] || { echo "no $state: run bench/daemon/run.sh first" >&2; exit 1; }
rounds="$1"; shift
n=$(ls "$out/torrents" | grep -c '\.torrent$') # the torrents run.sh made, all in the daemon

now() { date +%s.%N; }
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }
threads() { # name -> CPU seconds, largest first
  local hz; hz=$(getconf CLK_TCK)
  for t in /proc/"$1"/task/*; do
    # comm may hold spaces: take what is between the parentheses, then fields after
    sed -E 's/^[0-9]+ \((.*)\) (.*)$/\1\t\2/' "$t/stat"
  done | awk -F'\t' -v hz="$hz" '{split($2, f, " "); name=$1; sub(/[-#]?[0-9]+$/, "", name);
      c[name] += (f[12] + f[13]) / hz} END {for (k in c) if (c[k] > 0) printf "  %6.2f %s\n", c[k], k}' | sort -rn
}
ready() {
  [ -f "$state/daemon.json" ] || return 1
  local http; http=$(sed -n 's/.*"http":"\([^"]*\)".*/\1/p' "$state/daemon.json")
  curl -sf -H "Authorization: Bearer $(cat "$state/token")" "http://$http/api/v1/torrents" 2>/dev/null | python3 -c '
import json,sys
l=json.load(sys.stdin); sys.exit(0 if len(l)=='"$n"' and all(t["state"]=="seeding" for t in l) else 1)'
}
stop_pid() { kill "$1"; for _ in $(seq 1 600); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -9 "$1"; }

printf 'round\troot\trestart_s\tcpu_s\tload%s\n' "$([ "${RSS:-0}" = 1 ] && printf '\trss_mib')"
for r in $(seq 1 "$rounds"); do
  for kt_root in "$@"; do
    rm -f "$state/daemon.json"
    t0=$(now)
    "$kt_root/kadtorrent" daemon --state "$state" --download-dir "$out/data" --bind 127.0.0.1 --port 0 --dht-port -1 \
      --http-port 0 --watch "$watch" > "$out/restart.log" 2>&1 &
    pid=$!
    ok=0
    for _ in $(seq 1 3000); do
      if ready; then ok=1; break; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    wall=$(echo "$(now) - $t0" | bc)
    c=$(cpu "$pid")
    [ "$ok" = 1 ] || { echo "round $r $kt_root: not all seeding (see $out/restart.log)" >&2; wall=NaN; }
    load=$(cut -d' ' -f1 /proc/loadavg)
    mem=""
    [ "${RSS:-0}" = 1 ] && { sleep 5; mem=$(printf '\t%s' "$(awk '/^VmRSS/ {print int($2/1024)}' "/proc/$pid/status")"); }
    printf '%s\t%s\t%.2f\t%s\t%s%s\n' "$r" "$kt_root" "$wall" "$c" "$load" "$mem"
    [ "${THREADS:-0}" = 1 ] && threads "$pid"
    stop_pid "$pid"
  done
done
