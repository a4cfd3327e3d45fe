#!/usr/bin/env bash
# Regenerates the two class lists the ./kadtorrent launcher dumps into class-data-sharing archives beside the jar
# (start-up then maps the classes instead of reading, inflating and verifying them), each in load order:
#   client/cds/peer.classlist   what a `seed`, a `get`, a `daemon` and the commands that talk to it (`share`,
#                               `add`, `ls`, `show`, `pause`, `resume`, `rm`) load: ~4,000 classes;
#   client/cds/short.classlist  only what the commands that start without picocli load, run as the launcher runs
#                               them (`ls`, `ls --json`, `create` of a file and of a folder, `--version`): a small
#                               archive, because the JVM relocates all of it at every start.
# Run it after large changes to those paths; a stale list only makes start-up a little slower, never wrong.
# Everything binds to 127.0.0.1; every process started is stopped.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/client/target/kadtorrent.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests -pl client -am package)
work="$(mktemp -d)"
seed_pid=""
daemon_pid=""
cleanup() {
  [ -n "$seed_pid" ] && kill "$seed_pid" 2>/dev/null
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/src/data"
head -c 3000000 /dev/urandom > "$work/src/data/a.bin"
java -jar "$jar" create "$work/src/data" -o "$work/t.torrent" > /dev/null
java -XX:DumpLoadedClassList="$work/seed.list" -jar "$jar" seed "$work/t.torrent" --data "$work/src" \
  --port 0 --bind 127.0.0.1 > "$work/seed.out" 2>&1 &
seed_pid=$!
for _ in $(seq 1 100); do grep -q '^seeding:' "$work/seed.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^listening: tcp .*:\([0-9]*\)$/\1/p' "$work/seed.out")
java -XX:DumpLoadedClassList="$work/get.list" -jar "$jar" get "$work/t.torrent" -o "$work/out" \
  --peer "127.0.0.1:$port" --port 0 --bind 127.0.0.1 --seed-time 0 > /dev/null
kill "$seed_pid"; wait "$seed_pid" 2>/dev/null || true; seed_pid=""

java -XX:DumpLoadedClassList="$work/daemon.list" -jar "$jar" daemon --state "$work/state" --download-dir "$work/dl" \
  --bind 127.0.0.1 --http-bind 127.0.0.1 --port 0 --dht-port -1 --http-port 0 > "$work/daemon.out" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 100); do grep -q '^listening: http' "$work/daemon.out" 2>/dev/null && break; sleep 0.1; done
remote() { # remote NAME ARGS...: one remote command, its classes in NAME.list
  local name="$1"; shift
  java -XX:DumpLoadedClassList="$work/$name.list" -jar "$jar" "$@" --state "$work/state" > /dev/null
}
short() { # short NAME ARGS...: one command as the launcher starts a short one, its classes in short-NAME.list
  local name="$1"; shift
  java -XX:DumpLoadedClassList="$work/short-$name.list" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$jar" \
    io.kadtorrent.client.cli.Main "$@" > /dev/null
}
remote share share "$work/src/data"
short ls ls --state "$work/state"
short lsjson ls --json --state "$work/state"
remote add add "$work/t.torrent" -o "$work/dl2"
remote ls ls
remote lsjson ls --json
remote show show data
remote pause pause data
remote resume resume data
remote rm rm data
kill "$daemon_pid"; wait "$daemon_pid" 2>/dev/null || true; daemon_pid=""
short createfile create "$work/src/data/a.bin" -o "$work/a.torrent"
short createdir create "$work/src/data" -o "$work/d.torrent"
short version --version
cat "$work"/{get,seed,ls,lsjson,show,share,add,pause,resume,rm,daemon}.list | awk '!seen[$0]++' \
  > "$root/client/cds/peer.classlist"
cat "$work"/short-{ls,lsjson,createfile,createdir,version}.list | awk '!seen[$0]++' > "$root/client/cds/short.classlist"
for k in peer short; do echo "wrote client/cds/$k.classlist: $(wc -l < "$root/client/cds/$k.classlist") lines"; done
