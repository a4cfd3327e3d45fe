#!/usr/bin/env bash
# Metadata server load benchmark, side by side with nginx serving the same .torrent files.
#
#   bench/metadata/run.sh [TORRENTS=1000] [SECONDS=10] [CONNECTIONS="16 128"] [ROUNDS=3]
#
# 1. starts our metadata server (in its own JVM, loopback) over a fresh catalog folder and
#    publishes TORRENTS generated, signed torrents through the protocol;
# 2. nginx serves that same catalog folder (the <info_hash>.torrent files) over HTTP;
# 3. for each connection count, ROUNDS times alternately: our load generator (closed loop, one
#    request in flight per connection, random info_hash) against the server, then wrk (same
#    connections, random /<info_hash>.torrent) against nginx; each after a warm-up. The table
#    shows the median of the rounds (the machine is shared and noisy) and the range of the
#    per-round ratios.
# Prints a markdown table and replaces the "## Metadata server" section of bench/RESULTS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bench/metadata"
torrents="${1:-1000}"
seconds="${2:-10}"
connections="${3:-16 128}"
rounds="${4:-3}"
warmup=3

need() { command -v "$1" >/dev/null 2>&1; }
if ! need nginx || ! need wrk; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq nginx wrk
fi

jar="$root/client/target/kadtorrent.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -DskipTests -pl client -am package)
fi
classes="$here/target"
mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$jar" "$here/MetadataLoad.java" "$here/RawLoad.java"
cp="$jar:$classes"

work="$(mktemp -d)"
chmod 755 "$work"          # nginx workers run as an unprivileged user and must read the catalog
catalog="$work/catalog"
mkdir -p "$catalog" "$work/nginx/logs"
server_pid=""; nginx_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- our server ---------------------------------------------------------------------------
java -Xms512m -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" MetadataLoad serve "$catalog" \
  > "$work/server.out" 2> "$work/server.err" &
server_pid=$!
for _ in $(seq 1 200); do
  grep -q '^listening: tcp ' "$work/server.out" 2>/dev/null && break
  kill -0 "$server_pid" || { cat "$work/server.err"; exit 1; }
  sleep 0.1   # bounded poll: at most 20 s for the server to print its port
done
server_addr="$(sed -n 's/^listening: tcp //p' "$work/server.out")"
[ -n "$server_addr" ] || { echo "server did not start" >&2; exit 1; }
java -cp "$cp" MetadataLoad populate "$server_addr" "$torrents" "$work/hashes.txt" >/dev/null
chmod -R a+rX "$catalog"
catalog_bytes="$(cat "$catalog"/*.torrent | wc -c)"

# --- nginx over the same files -------------------------------------------------------------
nginx_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat > "$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server { listen 127.0.0.1:$nginx_port; root $catalog; }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_pid=$!
first_hash="$(head -1 "$work/hashes.txt")"
for _ in $(seq 1 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/$first_hash.torrent" 2>/dev/null && break
  sleep 0.1
done

# wrk picks a random catalog file per request, like the load generator picks a random info_hash.
{
  echo 'local hashes = {'
  sed 's/.*/"&",/' "$work/hashes.txt"
  echo '}'
  echo 'math.randomseed(42)'
  echo 'request = function() return wrk.format("GET", "/" .. hashes[math.random(#hashes)] .. ".torrent") end'
} > "$work/random.lua"

to_ms() { # wrk latency like 812.00us / 1.23ms / 1.01s -> ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

rows=()
for c in $connections; do
  o_rps=(); o_p50=(); o_p99=(); n_rps=(); n_p50=(); n_p99=(); ratios=()
  for r in $(seq 1 "$rounds"); do
    ours="$(java -Xms256m -Xmx256m -cp "$cp" MetadataLoad load "$server_addr" "$work/hashes.txt" "$c" "$warmup" "$seconds" raw)"
    o_rps+=("$(sed -n 's/^requests_per_s: //p' <<<"$ours")")
    o_p50+=("$(sed -n 's/^p50_ms: //p' <<<"$ours")")
    o_p99+=("$(sed -n 's/^p99_ms: //p' <<<"$ours")")

    wrk -t2 -c "$c" -d "${warmup}s" -s "$work/random.lua" "http://127.0.0.1:$nginx_port/" >/dev/null
    theirs="$(wrk -t2 -c "$c" -d "${seconds}s" --latency -s "$work/random.lua" "http://127.0.0.1:$nginx_port/")"
    n_rps+=("$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$theirs")")
    n_p50+=("$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$theirs")")")
    n_p99+=("$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$theirs")")")
    ratios+=("$(awk -v a="${o_rps[-1]}" -v b="${n_rps[-1]}" 'BEGIN { printf "%.2f", a / b }')")
    echo "connections $c round $r: ours ${o_rps[-1]} req/s, nginx ${n_rps[-1]} req/s" >&2
  done
  m() { printf '%s\n' "$@" | median | xargs printf '%.2f'; }
  mo="$(printf '%s\n' "${o_rps[@]}" | median | xargs printf '%.0f')"
  mn="$(printf '%s\n' "${n_rps[@]}" | median | xargs printf '%.0f')"
  ratio="$(awk -v a="$mo" -v b="$mn" 'BEGIN { printf "%.2f", a / b }')"
  range="$(printf '%s\n' "${ratios[@]}" | sort -g | sed -n '1p;$p' | paste -sd'-')"
  rows+=("| $c | $mo | $(m "${o_p50[@]}") | $(m "${o_p99[@]}") | $mn | $(m "${n_p50[@]}") | $(m "${n_p99[@]}") | $ratio ($range) |")
done

table="$(
  echo "Catalog: $torrents generated torrents ($((catalog_bytes / torrents)) bytes per .torrent on average), loopback, ${seconds} s per run after ${warmup} s warm-up, median of $rounds alternating rounds, on $(nproc) shared cores (server, load generator and anything else running: see the load average below)."
  echo "Ours: \`get\` by random info_hash (served torrents carry 9 bootstrap \`nodes\`), load from MetadataLoad raw mode: 2 event-loop threads, one request in flight per connection, reads only the frames; nginx: static \`GET /<info_hash>.torrent\` of the same files (sendfile), wrk -t2, one request in flight per connection."
  echo
  echo "| connections | ours req/s | ours p50 ms | ours p99 ms | nginx req/s | nginx p50 ms | nginx p99 ms | ours/nginx req/s (per-round range) |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Command: \`bench/metadata/run.sh $torrents $seconds \"$connections\" $rounds\` ($(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
)"
echo "$table"

results="$root/bench/RESULTS.md"
python3 - "$results" "$table" <<'PY'
import re, sys, pathlib
path, table = pathlib.Path(sys.argv[1]), sys.argv[2]
text = path.read_text() if path.exists() else "# Benchmark results\n"
section = "## Metadata server\n\n" + table.strip() + "\n"
pattern = re.compile(r"^## Metadata server\n.*?(?=^## |\Z)", re.S | re.M)
text = pattern.sub(lambda m: section + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
path.write_text(text)
PY
