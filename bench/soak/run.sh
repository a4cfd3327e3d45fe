#!/usr/bin/env bash
# Soak (issue 17, item 3): a swarm of PEERS of our peers plus libtorrent on 127.0.0.1 for MINUTES, light on
# CPU (small torrents fetched again and again under churn, every upload rate-limited), to show that nothing
# grows. Ours, all with Netty's leak detector in paranoid mode:
#   - a dht-node (the bootstrap every peer of ours finds the others through);
#   - 2 `seed`s (one per torrent) and 2 `get`s that stay the whole run (fetch once, then seed);
#   - 2 `daemon`s that add a torrent, verify it, seed it a while, remove it with its data and add the next;
#   - PEERS-6 churning `get` slots: each fetches a torrent, seeds a while and leaves; on a seeded schedule
#     one run in three is stopped mid-download (SIGTERM or SIGKILL) and comes back on the same folder.
# Not ours: a libtorrent process (one seeding session and two that fetch again and again), a corrupt seed
# that answers every request with random bytes (every `get` is given it, so each must ban it), and a
# flooder (unrequested blocks and keep-alive bursts at the long-lived peers, DHT queries at their nodes).
# Every 10 s: VmRSS, open descriptors and threads of each long-lived process of ours (bench/out/soak/samples.csv).
# At the end: every copy compared with the original (sha1sum), the bans counted, every log of ours grepped
# for LEAK:, slopes of a line fitted to the second half; table in bench/out/soak/summary.md, plot in docs/.
#
# Usage: bench/soak/run.sh [MINUTES] [PEERS]      (SOAK_SEED=N changes the schedule; default 17;
#        SOAK_JVM=default: seed, get and dht-node without the launcher's heap settings, output in soak-MINUTES-default;
#        SOAK_JVM=notrim: the launcher's heap settings without its native-heap trim, output in soak-MINUTES-notrim;
#        SOAK_TAG=NAME: output in soak-MINUTES-NAME instead, to keep two runs side by side;
#        SOAK_LONG_OPTS="...": more JVM options for the long-lived processes of ours only (not the churning gets);
#        SOAK_NMT=1: Native Memory Tracking on the long-lived ones: a baseline at half time (where the slopes start),
#        then logs/NAME.nmt (VM.native_memory summary.diff) and logs/NAME.smaps-half / .smaps-end (/proc/PID/smaps))
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
minutes="${1:-30}"
npeers="${2:-20}"
seed="${SOAK_SEED:-17}"
[ "$npeers" -ge 7 ] || { echo "PEERS must be at least 7" >&2; exit 2; }
out="$root/bench/out/soak-$minutes${SOAK_JVM:+-$SOAK_JVM}${SOAK_TAG:+-$SOAK_TAG}"
py=/usr/bin/python3
$py -c 'import libtorrent' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-libtorrent; }
[ -f client/target/kadtorrent.jar ] || mvn -B -q -DskipTests -pl client -am package

rm -rf "$out" && mkdir -p "$out/data" "$out/logs" "$out/get"
# A copy of the jar: a build during the run (mvn verify rewrites client/target) must not change it under us.
jar="$out/kadtorrent.jar"
cp client/target/kadtorrent.jar "$jar"
export KADTORRENT_JAVA_OPTS="-Dio.netty.leakDetection.level=paranoid ${KADTORRENT_JAVA_OPTS:-}"
# shellcheck disable=SC2086 # the options are words
# The heap settings ./kadtorrent gives the long-running commands (see its comments); SOAK_JVM=default runs
# seed, get and dht-node with the JVM's defaults instead (G1), as before the launcher had them, to compare.
compact=(-XX:+UseSerialGC -Xms8m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30)
# ... and, where the JVM has it, a trim of the native heap every 10 s (glibc keeps what the JVM frees)
if [ "${SOAK_JVM:-launcher}" != notrim ] && java -XX:TrimNativeHeapInterval=10000 -version > /dev/null 2>&1; then
  compact+=(-XX:TrimNativeHeapInterval=10000)
fi
kt() { # what ./kadtorrent runs, on the copied jar
  local tuned=()
  case "$1" in
    daemon) tuned=("${compact[@]}") ;;
    seed|get|dht-node) [ "${SOAK_JVM:-launcher}" = default ] || tuned=("${compact[@]}") ;;
  esac
  exec java "${tuned[@]}" $KADTORRENT_JAVA_OPTS -jar "$jar" "$@"
}

# Two small torrents from a seeded generator: A, 3 files (4 MiB); B, one file (3 MiB); 64 KiB pieces.
$py - "$out/data" "$seed" <<'PY'
import os, random, sys
out, seed = sys.argv[1], int(sys.argv[2])
r = random.Random(seed)
os.makedirs(os.path.join(out, 'soak-a'), exist_ok=True)
for name, size in [('soak-a/one.bin', 1500000), ('soak-a/two.bin', 1700001), ('soak-a/three.bin', 994303), ('soak-b.bin', 3 << 20)]:
    open(os.path.join(out, name), 'wb').write(r.randbytes(size))
PY
for t in a b; do
  src="$out/data/soak-$t"; [ -d "$src" ] || src="$src.bin"
  java -jar "$jar" create "$src" -o "$out/$t.torrent" --piece-size 65536 --force | sed -n 's/^info_hash: //p' \
    > "$out/$t.hash"
done
files_a=(soak-a/one.bin soak-a/three.bin soak-a/two.bin); files_b=(soak-b.bin)
(cd "$out/data" && sha1sum "${files_a[@]}" "${files_b[@]}") > "$out/original.sha1"

pids=()
stopping=0
cleanup() {
  stopping=1
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 1 150); do
    local alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.2
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
wait_line() { # FILE PREFIX [SECONDS]: until FILE has a line starting with PREFIX
  for _ in $(seq 1 $((${3:-120} * 10))); do grep -q "^$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; return 1
}
tcp_of() { sed -n 's/^listening: tcp //p' "$1" | head -1; }
udp_of() { sed -n 's/^listening: udp //p' "$1" | head -1; }
long=() # name:pid of the long-lived processes of ours, sampled
start_ours() { # NAME ARGS...: a long-lived JVM of ours, logging to logs/NAME.log, its GC to logs/NAME.gc
  local name=$1; shift
  # the heap left after each collection is the leak signal; RSS also moves with how far the heap has grown
  local nmt=""
  [ "${SOAK_NMT:-0}" = 1 ] && nmt="-XX:NativeMemoryTracking=summary"
  (KADTORRENT_JAVA_OPTS="$KADTORRENT_JAVA_OPTS -Xlog:gc:file=$out/logs/$name.gc $nmt ${SOAK_LONG_OPTS:-}" kt "$@") > "$out/logs/$name.log" 2>&1 &
  pids+=($!); long+=("$name:$!")
}

start_ours dht-node dht-node --port 0 --bind 127.0.0.1
wait_line "$out/logs/dht-node.log" "listening: udp"
boot=$(udp_of "$out/logs/dht-node.log")
"$py" bench/soak/peers.py corrupt "$out/a.torrent" "$out/b.torrent" > "$out/logs/corrupt.log" 2>&1 &
pids+=($!)
wait_line "$out/logs/corrupt.log" "listening: tcp"
corrupt=$(tcp_of "$out/logs/corrupt.log")
common=(--port 0 --bind 127.0.0.1 --bootstrap "$boot" --encryption prefer)
for t in a b; do
  start_ours "seed-$t" seed "$out/$t.torrent" --data "$out/data" "${common[@]}" --upload-limit 1MiB
done
for t in a b; do wait_line "$out/logs/seed-$t.log" "listening: tcp"; done
"$py" bench/soak/peers.py lt "$seed" "$out/data" "$out/lt" \
  "$(tcp_of "$out/logs/seed-a.log"),$(tcp_of "$out/logs/seed-b.log")" "$out/a.torrent" "$out/b.torrent" \
  > "$out/logs/libtorrent.log" 2>&1 &
pids+=($!)
wait_line "$out/logs/libtorrent.log" "listening: tcp"
ltseed=$(tcp_of "$out/logs/libtorrent.log")
for i in 1 2; do
  t=$([ $i = 1 ] && echo a || echo b)
  start_ours "keep-$i" get "$out/$t.torrent" -o "$out/keep-$i" "${common[@]}" --upload-limit 512KiB \
    --peer "$corrupt" --peer "$ltseed"
done
for i in 1 2; do
  mkdir -p "$out/daemon-$i/dl"
  start_ours "daemon-$i" daemon --state "$out/daemon-$i/state" --download-dir "$out/daemon-$i/dl" \
    --bind 127.0.0.1 --port 0 --dht-port 0 --http-port 0 --bootstrap "$boot"
done
for i in 1 2; do wait_line "$out/logs/daemon-$i.log" "listening: tcp"; done
for i in 1 2; do for _ in $(seq 1 100); do [ -f "$out/daemon-$i/state/daemon.json" ] && break; sleep 0.1; done; done

end=$(( $(date +%s) + minutes * 60 ))
t0=$(date +%s)

# ---- the daemons: add, verify, seed a while, remove with the data, again ----------------------------
api() { # DAEMON METHOD PATH [BODY]
  local st="$out/daemon-$1/state" http
  http=$(sed -n 's/.*"http":"\([^"]*\)".*/\1/p' "$st/daemon.json")
  curl -sf -X "$2" -H "Authorization: Bearer $(cat "$st/token")" ${4:+-H 'Content-Type: application/json' -d "$4"} \
    "http://$http$3"
}
verify() { # DIR TORRENT(a|b) -> 0 when every file's sha1 is the original's
  local names
  if [ "$2" = a ]; then names=("${files_a[@]}"); else names=("${files_b[@]}"); fi
  (cd "$1" && grep -F -f <(printf ' %s\n' "${names[@]}") "$out/original.sha1" | sha1sum -c --quiet - > /dev/null 2>&1)
}
daemon_cycle() { # DAEMON
  local d=$1 round=0 t hash state
  RANDOM=$((seed * 100 + d))
  api "$d" POST /api/v1/session/limits '{"upload_bytes_per_second": 524288, "download_bytes_per_second": 0}' > /dev/null
  while [ "$(date +%s)" -lt $((end - 60)) ]; do
    round=$((round + 1))
    t=$([ $((RANDOM % 2)) = 0 ] && echo a || echo b)
    hash=$(cat "$out/$t.hash")
    api "$d" POST /api/v1/torrents "{\"torrent\": \"$(base64 -w0 "$out/$t.torrent")\", \"peers\": [\"$corrupt\", \"$ltseed\"]}" > /dev/null
    local s=$(date +%s) ok=timeout
    while [ $(( $(date +%s) - s )) -lt 300 ]; do
      state=$(api "$d" GET "/api/v1/torrents/$hash" | $py -c 'import json,sys; print(json.load(sys.stdin)["torrent"]["state"])' 2>/dev/null || echo "?")
      if [ "$state" = seeding ]; then
        if verify "$out/daemon-$d/dl" "$t"; then ok=identical; else ok=DIFFERS; fi
        break
      fi
      sleep 2
    done
    echo "$(( $(date +%s) - t0 )),daemon-$d,r$round,$t,$ok" >> "$out/copies.csv"
    sleep $((20 + RANDOM % 40))
    api "$d" DELETE "/api/v1/torrents/$hash?delete_data=true" > /dev/null || true
    sleep $((RANDOM % 5))
  done
}

# ---- the churning gets ---------------------------------------------------------------------------------
get_slot() { # SLOT
  local slot=$1 round=0 t dir log p="" how
  trap 'kill -TERM $p 2>/dev/null; wait $p 2>/dev/null; exit 0' TERM # the run's end: its get goes too
  RANDOM=$((seed * 1000 + slot))
  sleep $((RANDOM % 20))
  while [ "$(date +%s)" -lt $((end - 90)) ]; do
    round=$((round + 1))
    t=$([ $((RANDOM % 2)) = 0 ] && echo a || echo b)
    dir="$out/get/s$slot-r$round"
    log="$out/get/s$slot-r$round.log"
    local seedtime=$((15 + RANDOM % 60)) leave=$((RANDOM % 3)) after=$((3 + RANDOM % 10)) sig
    sig=$([ $((RANDOM % 2)) = 0 ] && echo TERM || echo KILL)
    (kt get "$out/$t.torrent" -o "$dir" "${common[@]}" --upload-limit 512KiB --seed-time "$seedtime" \
      --peer "$corrupt" --peer "$ltseed") >> "$log" 2>&1 &
    p=$!
    if [ "$leave" = 0 ]; then # leaves mid-download and comes back on the same folder
      wait_line "$log" "listening: tcp" 120 || true # not while the JVM is still starting
      sleep "$after"
      if kill -0 "$p" 2>/dev/null && ! grep -q '^complete:' "$log"; then
        kill "-$sig" "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
        echo "--- left ($sig after $after s), back ---" >> "$log"
        echo "$(( $(date +%s) - t0 )),s$slot-r$round,$sig" >> "$out/churn.csv"
        (kt get "$out/$t.torrent" -o "$dir" "${common[@]}" --upload-limit 512KiB --seed-time "$seedtime" \
          --peer "$corrupt" --peer "$ltseed") >> "$log" 2>&1 &
        p=$!
      fi
    fi
    # bounded: a get that has not finished in 5 minutes is stopped and counted as a timeout
    local waited=0
    while kill -0 "$p" 2>/dev/null && [ $waited -lt $((300 + seedtime)) ]; do sleep 1; waited=$((waited + 1)); done
    kill -TERM "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
    if grep -q '^error:' "$log"; then how=error
    elif ! grep -q '^complete:' "$log"; then how=timeout
    elif verify "$dir" "$t"; then how=identical
    else how=DIFFERS; fi
    echo "$(( $(date +%s) - t0 )),s$slot-r$round,$t,$how" >> "$out/copies.csv"
    rm -rf "$dir"
    sleep $((RANDOM % 8))
  done
}

echo "seconds,copy,torrent,result" > "$out/copies.csv"
echo "seconds,run,signal" > "$out/churn.csv"
for d in 1 2; do daemon_cycle "$d" > "$out/logs/daemon-cycle-$d.log" 2>&1 & pids+=($!); done
for s in $(seq 1 $((npeers - 6))); do get_slot "$s" > "$out/logs/slot-$s.log" 2>&1 & pids+=($!); done

# ---- the flooder: the long-lived peers' TCP ports, the DHT nodes' UDP ports --------------------------
tcp_targets=""; udp_targets="$boot"
for n in seed-a seed-b keep-1 keep-2 daemon-1 daemon-2; do
  wait_line "$out/logs/$n.log" "listening: tcp" 60 || true
  tcp_targets+="$(tcp_of "$out/logs/$n.log"),"
  u=$(udp_of "$out/logs/$n.log"); [ -n "$u" ] && udp_targets+=",$u"
done
"$py" bench/soak/peers.py flood "$seed" "$tcp_targets" "$udp_targets" "$out/a.torrent" "$out/b.torrent" \
  > "$out/logs/flood.log" 2>&1 &
pids+=($!)

# ---- samples every 10 s ----------------------------------------------------------------------------------
# VmRSS = RssAnon (heap, malloc, thread stacks, direct buffers) + RssFile (mapped files: libjvm, the CDS
# archive, the jar; page cache is not counted unless mapped) + RssShmem (the JVM's hsperfdata file).
echo "seconds,process,pid,rss_kib,fds,threads,rss_anon_kib,rss_file_kib,rss_shmem_kib" > "$out/samples.csv"
nmt_base=$(( t0 + minutes * 30 )) nmt_taken=0
while [ "$(date +%s)" -lt "$end" ]; do
  now=$(( $(date +%s) - t0 ))
  for e in "${long[@]}"; do
    n=${e%%:*}; p=${e##*:}
    [ -r "/proc/$p/status" ] || { echo "$n (pid $p) is gone" >&2; continue; }
    read -r rss th anon file shmem < <(awk '/^VmRSS/ {r=$2} /^Threads/ {t=$2} /^RssAnon/ {a=$2} /^RssFile/ {f=$2}
      /^RssShmem/ {s=$2} END {print r, t, a, f, s}' "/proc/$p/status")
    fds=$(ls "/proc/$p/fd" 2>/dev/null | wc -l)
    echo "$now,$n,$p,$rss,$fds,$th,$anon,$file,$shmem" >> "$out/samples.csv"
  done
  if [ "${SOAK_NMT:-0}" = 1 ] && [ $nmt_taken = 0 ] && [ "$(date +%s)" -ge $nmt_base ]; then
    nmt_taken=1
    for e in "${long[@]}"; do # in the background: each jcmd is a JVM start, minutes on a loaded machine
      (jcmd "${e##*:}" VM.native_memory baseline > "$out/logs/${e%%:*}.nmt-baseline" 2>&1 || true
       cat "/proc/${e##*:}/smaps" > "$out/logs/${e%%:*}.smaps-half" 2>/dev/null || true) &
    done
  fi
  sleep 10
done
if [ "${SOAK_NMT:-0}" = 1 ]; then
  for e in "${long[@]}"; do
    n=${e%%:*}; p=${e##*:}
    jcmd "$p" VM.native_memory summary.diff > "$out/logs/$n.nmt" 2>&1 || true
    cat "/proc/$p/smaps" > "$out/logs/$n.smaps-end" 2>/dev/null || true
  done
fi

# ---- the end: every long-lived copy, then stop everything and count --------------------------------------
for i in 1 2; do
  t=$([ $i = 1 ] && echo a || echo b)
  if grep -q '^complete:' "$out/logs/keep-$i.log" && verify "$out/keep-$i" "$t"; then r=identical; else r=DIFFERS; fi
  echo "$(( $(date +%s) - t0 )),keep-$i,$t,$r" >> "$out/copies.csv"
done
cleanup
trap - EXIT
sleep 1

copies_ok=$(grep -c ',identical$' "$out/copies.csv" || true)
copies_bad=$(grep -c ',DIFFERS$' "$out/copies.csv" || true)
copies_timeout=$(grep -c ',timeout$' "$out/copies.csv" || true)
copies_error=$(grep -c ',error$' "$out/copies.csv" || true)
churned=$(($(wc -l < "$out/churn.csv") - 1))
gets=$(ls "$out"/get/*.log 2>/dev/null | wc -l)
# (grep finding nothing is an answer here, not a failure)
fed=$( (grep -l "^from: $corrupt " "$out"/get/*.log "$out"/logs/keep-*.log 2>/dev/null || true) | wc -l)
banning=$( (grep -l "^banned: $corrupt\$" "$out"/get/*.log "$out"/logs/keep-*.log 2>/dev/null || true) | wc -l)
daemon_bans=$(cat "$out"/logs/daemon-[12].log | grep -c "closing peer /$corrupt: .*failed its SHA-1: banned" || true)
leaks=$( (grep -l 'LEAK:' "$out"/logs/*.log "$out"/get/*.log 2>/dev/null || true) | wc -l)
leak_lines=$(cat "$out"/logs/*.log "$out"/get/*.log | grep -c 'LEAK:' || true)
$py bench/soak/analyse.py "$out/samples.csv" "$out/logs" "$out/table.md" "$out/soak.svg" \
  "kadtorrent soak: $minutes min, $npeers peers of ours + libtorrent, churn, a corrupt peer, a flooder"
{
  echo "Soak of $minutes min, $npeers peers of ours (seed $seed), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores shared; load at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Command: \`${SOAK_JVM:+SOAK_JVM=$SOAK_JVM }bench/soak/run.sh $minutes $npeers\`"
  echo
  echo "- copies compared with the original: $copies_ok identical, $copies_bad differ, $copies_timeout not finished in time, $copies_error ended by an error (ours: daemons, the two long-lived gets and $gets churning get runs, $churned of them stopped mid-download and restarted)"
  echo "- corrupt seed: $(sed -n 's/^corrupt: //p' "$out/logs/corrupt.log")"
  echo "- of the get runs that received data from it, $banning of $fed printed \`banned: $corrupt\`; the daemons banned it $daemon_bans times (once per add)"
  echo "- flooder: $(sed -n 's/^flood: //p' "$out/logs/flood.log")"
  echo "- libtorrent: $(sed -n 's/^lt: //p' "$out/logs/libtorrent.log")"
  echo "- LEAK: lines in the logs of ours: $leak_lines (in $leaks files)"
  echo
  cat "$out/table.md"
} > "$out/summary.md"
cat "$out/summary.md"
