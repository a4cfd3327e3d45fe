#!/usr/bin/env bash
# Start-up of this checkout's launcher against another checkout's (e.g. `git worktree add /tmp/base <commit>`
# and a package there), interleaved run by run so that a loaded machine slows both alike: `ls` against one
# daemon (started by this checkout, on loopback, stopped at the end), `create` of a 1 MB file, `--version`.
# Prints median and minimum wall and user+sys CPU seconds of N runs (default 12) per command and launcher, and
# of the floor in the same rounds: an empty main on the same JVM (`java -Xshare:auto -cp DIR Hello`).
# Usage: bench/startup/compare.sh OTHER_ROOT [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
other="$(cd "$1" && pwd)"; n="${2:-12}"
out="$root/bench/out/startup-compare"
rm -rf "$out" && mkdir -p "$out"
daemon_pid=""
trap '[ -n "$daemon_pid" ] && { kill "$daemon_pid" 2>/dev/null; wait "$daemon_pid" 2>/dev/null; }; true' EXIT
head -c 1000000 /dev/urandom > "$out/one.bin"
mkdir -p "$out/hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hi"); } }\n' > "$out/Hello.java"
javac -d "$out/hello" "$out/Hello.java"
"$root/kadtorrent" --version > /dev/null; "$other/kadtorrent" --version > /dev/null # caches
"$root/kadtorrent" daemon --state "$out/state" --download-dir "$out/dl" --bind 127.0.0.1 --port 0 --http-port 0 \
  --dht-port -1 > "$out/daemon.out" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 300); do grep -q '^listening: http' "$out/daemon.out" 2>/dev/null && break; sleep 0.1; done
"$root/kadtorrent" share "$out/one.bin" --state "$out/state" > /dev/null
run() { # run NAME LAUNCHER ARGS...: appends "wall cpu" to $out/NAME
  local name="$1"; shift
  /usr/bin/time -f '%e %U %S' -o "$out/t" "$@" > /dev/null 2> "$out/err" || { cat "$out/err" >&2; exit 1; }
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$out/t" >> "$out/$name"
}
for _ in $(seq 1 "$n"); do
  for who in other this; do
    kt="$root/kadtorrent"; [ "$who" = other ] && kt="$other/kadtorrent"
    run "$who-ls" "$kt" ls --state "$out/state"
    rm -f "$out/x.torrent"; run "$who-create" "$kt" create "$out/one.bin" -o "$out/x.torrent"
    run "$who-version" "$kt" --version
  done
  run java-floor java -Xshare:auto -cp "$out/hello" Hello
done
echo "$(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, load average now: $(cut -d' ' -f1-3 /proc/loadavg); n=$n"
med() { sort -g | awk '{a[NR]=$1} END {printf "%.2f", (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
for c in ls create version floor; do
  for who in other this; do
    [ "$c" = floor ] && { [ "$who" = this ] && continue; who=java; }
    f="$out/$who-$c"
    printf '%-8s %-6s wall median %s min %s   cpu median %s min %s\n' "$c" "$who" "$(cut -d' ' -f1 "$f" | med)" \
      "$(cut -d' ' -f1 "$f" | sort -g | head -1)" "$(cut -d' ' -f2 "$f" | med)" "$(cut -d' ' -f2 "$f" | sort -g | head -1)"
  done
done
