#!/usr/bin/env bash
# Daemon benchmark: N torrents (default 1,000 single files of 64 KiB, made with mktorrent) loaded and seeding
# in one daemon, ours (`kadtorrent daemon`) against transmission-daemon 3.00, one after the other on the same
# data and the same .torrent files, loopback only, no DHT/LPD/PEX, no peers. For each daemon:
#   - first load: exec until every torrent is added (watch folder) and seeding (includes hashing the data);
#   - restart: exec of a stopped daemon until every torrent is back and seeding (from its own state), and the
#     CPU time (user + system) the daemon had used by then: on a shared machine the wall time follows the load;
#   - resident memory (VmRSS, and VmHWM peak) once all are seeding after the restart;
#   - listing: the whole `transmission-remote -l` vs `kadtorrent ls` command (median of 11 runs), and one raw
#     API request for the whole list (curl: Transmission's torrent-get RPC vs GET /api/v1/torrents).
# Usage: [TRACKER=1] bench/daemon/run.sh [N] [KIB]
# TRACKER=1: every .torrent names a tracker (bench/interop/tracker.py on 127.0.0.1, started and stopped here), as
# most real torrents do; both daemons announce to it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
n="${1:-1000}"
kib="${2:-64}"
out="$root/bench/out/daemon"
kt="$root/kadtorrent"
for p in transmission-daemon transmission-remote mktorrent curl; do
  command -v "$p" >/dev/null || {
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends transmission-daemon transmission-cli mktorrent curl
    # the package enables a system service bound to every address: never let it start on its own
    systemctl disable transmission-daemon >/dev/null 2>&1 || true
    systemctl mask transmission-daemon >/dev/null 2>&1 || true
    break
  }
done
[ -f client/target/kadtorrent.jar ] || mvn -B -q -DskipTests -pl client -am package

rm -rf "$out" && mkdir -p "$out/data" "$out/torrents"
for i in $(seq -w 1 "$n"); do
  head -c $((kib * 1024)) /dev/urandom > "$out/data/t-$i.bin"
done
announce=()
if [ "${TRACKER:-0}" = 1 ]; then
  /usr/bin/python3 "$root/bench/interop/tracker.py" 127.0.0.1 > "$out/tracker.log" 2>&1 &
  tracker_pid=$!
  trap 'kill "$tracker_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do grep -q '^listening' "$out/tracker.log" && break; sleep 0.1; done
  announce=(-a "http://$(sed -n 's/^listening: tcp //p' "$out/tracker.log")/announce")
fi
for i in $(seq -w 1 "$n"); do
  mktorrent -l 16 "${announce[@]}" -o "$out/torrents/t-$i.torrent" "$out/data/t-$i.bin" >/dev/null
done
cat "$out/data"/* > /dev/null

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
rss() { awk '/^VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }
hwm() { awk '/^VmHWM/ {print int($2/1024)}' "/proc/$1/status"; }
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; } # utime + stime
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# ---- ours ----
state="$out/kt-state"; watch="$out/kt-watch"
mkdir -p "$watch"
cp "$out/torrents"/*.torrent "$watch/"
kt_ready() { # every torrent seeding; asked with curl, as cheap as transmission-remote
  [ -f "$state/daemon.json" ] || return 1
  local http; http=$(sed -n 's/.*"http":"\([^"]*\)".*/\1/p' "$state/daemon.json")
  curl -sf -H "Authorization: Bearer $(cat "$state/token")" "http://$http/api/v1/torrents" 2>/dev/null | python3 -c '
import json,sys
l=json.load(sys.stdin); sys.exit(0 if len(l)=='"$n"' and all(t["state"]=="seeding" for t in l) else 1)'
}
start_kt() {
  rm -f "$state/daemon.json" # a killed daemon's stale one would point at nothing
  "$kt" daemon --state "$state" --download-dir "$out/data" --bind 127.0.0.1 --port 0 --dht-port -1 --http-port 0 \
    --watch "$watch" > "$out/kt.log" 2>&1 &
  kt_pid=$!
}
stop_pid() { kill "$1"; for _ in $(seq 1 600); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -9 "$1"; }
await() { # await CHECK TIMEOUT_S
  for _ in $(seq 1 $(($2 * 10))); do "$1" && return 0; sleep 0.1; done
  echo "timed out waiting for $1" >&2; return 1
}
t0=$(now); start_kt; await kt_ready 600; kt_first=$(echo "$(now) - $t0" | bc)
stop_pid "$kt_pid"
t0=$(now); start_kt; await kt_ready 600; kt_restart=$(echo "$(now) - $t0" | bc); kt_cpu=$(cpu "$kt_pid")
sleep 5 # settle: timers, the first samples
kt_rss=$(rss "$kt_pid"); kt_hwm=$(hwm "$kt_pid")
kt_ls=$(for _ in $(seq 1 11); do s=$(now); "$kt" ls --state "$state" > /dev/null; echo "$(now) - $s" | bc; done | median)
kt_http=$(sed -n 's/.*"http":"\([^"]*\)".*/\1/p' "$state/daemon.json")
kt_api=$(for _ in $(seq 1 11); do curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $(cat "$state/token")" \
  "http://$kt_http/api/v1/torrents"; done | median)
stop_pid "$kt_pid"

# ---- transmission-daemon ----
cfg="$out/tr-config"; twatch="$out/tr-watch"
mkdir -p "$cfg" "$twatch"
cp "$out/torrents"/*.torrent "$twatch/"
rpc=$(free_port); peer=$(free_port)
cat > "$cfg/settings.json" <<JSON
{"dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, "utp-enabled": false,
 "port-forwarding-enabled": false, "peer-port": $peer, "peer-port-random-on-start": false,
 "bind-address-ipv4": "127.0.0.1", "bind-address-ipv6": "::1",
 "rpc-enabled": true, "rpc-bind-address": "127.0.0.1", "rpc-port": $rpc, "rpc-authentication-required": false,
 "rpc-whitelist-enabled": true, "rpc-whitelist": "127.0.0.1", "rpc-host-whitelist-enabled": false,
 "download-dir": "$out/data", "incomplete-dir-enabled": false, "watch-dir-enabled": true, "watch-dir": "$twatch",
 "start-added-torrents": true, "trash-original-torrent-files": false, "blocklist-enabled": false,
 "message-level": 1, "cache-size-mb": 4}
JSON
tr_ready() {
  transmission-remote "127.0.0.1:$rpc" -l 2>/dev/null | python3 -c '
import sys
rows=[l for l in sys.stdin.read().splitlines()[1:-1]]
ok=[r for r in rows if "100%" in r and ("Seeding" in r or "Idle" in r)]
sys.exit(0 if len(rows)=='"$n"' and len(ok)=='"$n"' else 1)'
}
start_tr() { transmission-daemon -f -g "$cfg" > "$out/tr.log" 2>&1 & tr_pid=$!; }
t0=$(now); start_tr; await tr_ready 600; tr_first=$(echo "$(now) - $t0" | bc)
stop_pid "$tr_pid"
t0=$(now); start_tr; await tr_ready 600; tr_restart=$(echo "$(now) - $t0" | bc); tr_cpu=$(cpu "$tr_pid")
sleep 5
tr_rss=$(rss "$tr_pid"); tr_hwm=$(hwm "$tr_pid")
tr_ls=$(for _ in $(seq 1 11); do s=$(now); transmission-remote "127.0.0.1:$rpc" -l > /dev/null; echo "$(now) - $s" | bc; done | median)
sid=$(curl -s -D - -o /dev/null "http://127.0.0.1:$rpc/transmission/rpc" | sed -n 's/^X-Transmission-Session-Id: \(.*\)\r$/\1/p')
body='{"method":"torrent-get","arguments":{"fields":["id","hashString","name","totalSize","percentDone","status","peersConnected","rateDownload","rateUpload"]}}'
tr_api=$(for _ in $(seq 1 11); do curl -s -o /dev/null -w '%{time_total}\n' -H "X-Transmission-Session-Id: $sid" \
  -d "$body" "http://127.0.0.1:$rpc/transmission/rpc"; done | median)
stop_pid "$tr_pid"

printf '| daemon | first load s | restart s | restart CPU s | RSS MiB (peak) | list command s | list API request s |\n'
printf '|---|---:|---:|---:|---:|---:|---:|\n'
printf '| kadtorrent | %.2f | %.2f | %s | %s (%s) | %.3f | %.4f |\n' "$kt_first" "$kt_restart" "$kt_cpu" "$kt_rss" "$kt_hwm" "$kt_ls" "$kt_api"
printf '| transmission-daemon 3.00 | %.2f | %.2f | %s | %s (%s) | %.3f | %.4f |\n' "$tr_first" "$tr_restart" "$tr_cpu" "$tr_rss" "$tr_hwm" "$tr_ls" "$tr_api"
echo "($n torrents of $kib KiB${announce:+, each naming a local tracker}; $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg))"
