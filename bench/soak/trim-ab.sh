#!/usr/bin/env bash
# Does the native-heap trim of ./kadtorrent's long-running commands (-XX:TrimNativeHeapInterval=10000) cost
# transfer speed? A `seed` of ours serves a SIZE-byte file to a `get` of ours on 127.0.0.1, both with the
# launcher's heap flags, once without the trim and once with it, alternating (which goes first alternates too),
# ROUNDS times each after one warm-up pair. Per run: the get's wall and CPU seconds (user + sys, /usr/bin/time),
# the seed's CPU seconds over its whole life (start, verifying the file, serving, exit) and both peak RSS.
# Usage: bench/soak/trim-ab.sh [SIZE] [ROUNDS]     (default 256 MiB, 3; ENC=prefer|disabled, default prefer)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
size="${1:-268435456}"; rounds="${2:-3}"; enc="${ENC:-prefer}"
jar="$root/client/target/kadtorrent.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests -pl client -am package)
work="$(mktemp -d)"; seedpid=""
trap '[ -n "$seedpid" ] && kill "$(pgrep -P "$seedpid")" 2>/dev/null; rm -rf "$work"' EXIT
compact=(-XX:+UseSerialGC -Xms8m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30)
/usr/bin/python3 - "$work/ab.bin" "$size" <<'PY'
import random, sys
r, left = random.Random(7), int(sys.argv[2])
with open(sys.argv[1], 'wb') as f:
    while left > 0:
        f.write(r.randbytes(min(left, 1 << 20)))
        left -= 1 << 20
PY
java -jar "$jar" create "$work/ab.bin" -o "$work/ab.torrent" --piece-size 262144 --force > /dev/null
run() { # VARIANT: prints "variant get_wall get_cpu get_peak_kib seed_cpu seed_peak_kib"
  local flags=("${compact[@]}") port
  [ "$1" = trim ] && flags+=(-XX:TrimNativeHeapInterval=10000)
  : > "$work/seed.log"
  /usr/bin/time -f '%U %S %M' -o "$work/seed.time" java "${flags[@]}" -jar "$jar" seed "$work/ab.torrent" \
    --data "$work" --port 0 --bind 127.0.0.1 --encryption "$enc" > "$work/seed.log" 2>&1 &
  seedpid=$!
  for _ in $(seq 1 1200); do grep -q '^listening: tcp' "$work/seed.log" && break; sleep 0.1; done
  port=$(sed -n 's/^listening: tcp //p' "$work/seed.log" | head -1)
  rm -rf "$work/dl"
  /usr/bin/time -f '%e %U %S %M' -o "$work/get.time" java "${flags[@]}" -jar "$jar" get "$work/ab.torrent" \
    -o "$work/dl" --peer "$port" --port 0 --bind 127.0.0.1 --seed-time 0 --encryption "$enc" > "$work/get.log" 2>&1
  cmp -s "$work/ab.bin" "$work/dl/ab.bin" || { echo "$1: copy differs" >&2; exit 1; }
  kill -TERM "$(pgrep -P "$seedpid")"; wait "$seedpid" 2>/dev/null || true; seedpid="" # the JVM under time
  read -r gw gu gs gm < <(tail -1 "$work/get.time")
  read -r su ss sm < <(tail -1 "$work/seed.time")
  awk -v v="$1" -v gw="$gw" -v gu="$gu" -v gs="$gs" -v gm="$gm" -v su="$su" -v ss="$ss" -v sm="$sm" \
    'BEGIN {printf "%s %.2f %.2f %d %.2f %d\n", v, gw, gu + gs, gm, su + ss, sm}'
}
echo "variant get_wall_s get_cpu_s get_peak_kib seed_cpu_s seed_peak_kib   (load $(cut -d' ' -f1-3 /proc/loadavg))"
for r in $(seq 0 "$rounds"); do
  order="notrim trim"; [ $((r % 2)) = 1 ] && order="trim notrim"
  for v in $order; do
    line=$(run "$v")
    if [ "$r" = 0 ]; then echo "warm-up: $line"; else echo "$line"; fi
  done
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
