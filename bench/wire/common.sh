# Shared by bench/wire scripts: tools, the kadtorrent jar, helpers. Source it; do not run it.
WIRE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$WIRE_DIR/../.." && pwd)"
JAR="$ROOT/client/target/kadtorrent.jar"
LT="/usr/bin/python3 $WIRE_DIR/lt_peer.py"

ensure_tools() {
  if ! /usr/bin/python3 -c 'import libtorrent' 2>/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq python3-libtorrent
  fi
  if [ ! -f "$JAR" ]; then
    (cd "$ROOT" && mvn -B -q -DskipTests -pl client -am package)
  fi
}

# wait_line FILE PATTERN: waits (max 120 s) until FILE has a line matching PATTERN; prints its port.
wait_port() {
  local file="$1" i
  for i in $(seq 1200); do
    if grep -q '^listening: tcp' "$file" 2>/dev/null; then
      grep '^listening: tcp' "$file" | head -1 | sed 's/.*://'
      return 0
    fi
    sleep 0.1
  done
  echo "no listening line in $file:" >&2
  cat "$file" >&2
  return 1
}

# stop PID: ends a process this script started (by its id only) and waits for it.
stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
