#!/usr/bin/env bash
# What a daemon holding many seeding torrents costs while nothing happens: starts the daemon of ROOT (default: this
# repository) on the state folder `bench/daemon/run.sh` left (bench/out/daemon/kt-state), waits until every torrent
# seeds and WARM seconds more, then prints the CPU seconds (user + system) each thread pool used over SECONDS,
# largest first, and stops the daemon. No peer, tracker or DHT traffic: run.sh's settings keep them off.
# Usage: bench/daemon/idle.sh [SECONDS] [WARM] [ROOT]      (default 20 s after 25 s)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
secs="${1:-20}"; warm="${2:-25}"; root="${3:-$here}"
out="$here/bench/out/daemon"; state="$out/kt-state"
[ -d "$state/torrents" ] || { echo "no $state: run bench/daemon/run.sh first" >&2; exit 1; }
n=$(ls "$out/torrents" | grep -c '\.torrent$')
hz=$(getconf CLK_TCK)
"$root/kadtorrent" daemon --state "$state" > "$out/idle.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true' EXIT # gone (its lock freed) before the next run
ready() {
  [ -f "$state/daemon.json" ] || return 1
  local http; http=$(sed -n 's/.*"http":"\([^"]*\)".*/\1/p' "$state/daemon.json")
  curl -sf -H "Authorization: Bearer $(cat "$state/token")" "http://$http/api/v1/torrents" 2>/dev/null | python3 -c '
import json,sys
l=json.load(sys.stdin); sys.exit(0 if len(l)=='"$n"' and all(t["state"]=="seeding" for t in l) else 1)'
}
for _ in $(seq 1 600); do ready && break; sleep 0.2; done
ready || { echo "the daemon did not bring all $n torrents back" >&2; exit 1; }
sleep "$warm"
per_pool() { # pool name (thread name without its number) -> clock ticks
  for t in /proc/"$pid"/task/*; do sed -E 's/^[0-9]+ \((.*)\) (.*)$/\1\t\2/' "$t/stat"; done |
    awk -F'\t' '{split($2, f, " "); name=$1; sub(/[-#]?[0-9]+$/, "", name); c[name] += f[12] + f[13]}
      END {for (k in c) print k "\t" c[k]}' | sort
}
per_pool > "$out/idle.a"; sleep "$secs"; per_pool > "$out/idle.b"
echo "$(date -u '+%Y-%m-%d %H:%M') UTC, $n torrents seeding, load average $(cut -d' ' -f1-3 /proc/loadavg); CPU s over $secs s:"
join -t$'\t' "$out/idle.a" "$out/idle.b" | awk -F'\t' -v hz="$hz" -v s="$secs" '{d = ($3 - $2) / hz; t += d;
  if (d > 0) printf "  %6.2f %s\n", d, $1} END {printf "  %6.2f all threads (%.1f %% of one core)\n", t, 100 * t / s}' | sort -rn
