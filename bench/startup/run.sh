#!/usr/bin/env bash
# CLI start-up benchmark (issue 13, item 6): the whole `./kadtorrent ls --state S` against a running daemon,
# `./kadtorrent create <1 MB file> -o x.torrent` and `./kadtorrent --version`, as a user runs them (launcher
# included), and the floor: `java -Xshare:auto -cp DIR Hello`, an empty main on the same JVM. Minimum and
# median of N interleaved runs (default 10) of wall and user+sys CPU seconds. The launcher's caches are built
# once before timing (first run). Starts its own daemon on loopback and stops it; nothing outside bench/out.
# Usage: bench/startup/run.sh [N]          (the JVM is the `java` on PATH, as the launcher's)
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
rm -f "$out/x.torrent"; "$kt" create "$out/one.bin" -o "$out/x.torrent" > /dev/null
"$kt" daemon --state "$out/state" --download-dir "$out/dl" --bind 127.0.0.1 --port 0 --http-port 0 --dht-port -1 \
  > "$out/daemon.out" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 300); do grep -q '^listening: http' "$out/daemon.out" 2>/dev/null && break; sleep 0.1; done
grep -q '^listening: http' "$out/daemon.out" || { echo "daemon did not start:" >&2; cat "$out/daemon.out" >&2; exit 1; }
"$kt" share "$out/one.bin" --state "$out/state" > /dev/null # one torrent to list
"$kt" ls --state "$out/state" > /dev/null

# The floor on this machine, in the same run: an empty main on the same JVM with its default CDS archive.
mkdir -p "$out/hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hi"); } }\n' > "$out/Hello.java"
javac -d "$out/hello" "$out/Hello.java"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
# timed NAME CMD...: appends "wall cpu" (seconds; cpu = user + sys) of one run of CMD to $out/NAME.t
timed() {
  local name="$1"; shift
  /usr/bin/time -f '%e %U %S' -o "$out/t" "$@" > "$out/stdout" 2> "$out/stderr" \
    || { echo "failed: $*" >&2; cat "$out/stderr" >&2; exit 1; }
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$out/t" >> "$out/$name.t"
}
stats() { # column N of file: min and median
  cut -d' ' -f"$2" "$1" | sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "min %.2f median %.2f", a[1], m}'
}
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq 1 "$n"); do # interleaved, so a burst of load hits every command alike
  timed ls "$kt" ls --state "$out/state"
  rm -f "$out/x.torrent"
  timed create "$kt" create "$out/one.bin" -o "$out/x.torrent"
  timed version "$kt" --version
  timed floor java -Xshare:auto -cp "$out/hello" Hello
done
echo "$(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg); n=$n"
echo "JVM: $(java -version 2>&1 | head -1)"
for c in ls create version floor; do
  case "$c" in
    ls) label='ls --state S' ;; create) label='create 1 MB file' ;; version) label='--version' ;;
    floor) label='floor: java Hello' ;;
  esac
  printf '%-18s wall %s   cpu %s\n' "$label" "$(stats "$out/$c.t" 1)" "$(stats "$out/$c.t" 2)"
done
