#!/usr/bin/env bash
# Torrent creation benchmark: ours vs `mktorrent -t 2`, side by side in one run, on ~1 GiB in
# 8 files with a warm page cache and the same piece size; `openssl speed -evp sha1` gives the
# machine's SHA-1 limit. Appends nothing: rewrites the "## Torrent creation" section of
# bench/RESULTS.md with the table of this run.
#
# Usage: bench/create/run.sh [ROUNDS]      (default 5 rounds, each runs both tools once)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rounds="${1:-5}"
out="$root/bench/out/create"
data="$out/data"
jar="$root/client/target/kadtorrent.jar"
piece_log2=20 # 1 MiB pieces: what our automatic choice picks for 1 GiB (1,024 pieces)

command -v mktorrent >/dev/null || { apt-get update -qq && apt-get install -y -qq mktorrent; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
command -v openssl >/dev/null || { apt-get update -qq && apt-get install -y -qq openssl; }
[ -f "$jar" ] || mvn -B -q -DskipTests -pl client -am package

# 8 files of 128 MiB, made once from /dev/urandom and cached (bench/out is gitignored).
mkdir -p "$data"
for i in 1 2 3 4 5 6 7 8; do
  f="$data/part-$i.bin"
  if [ ! -f "$f" ] || [ "$(stat -c %s "$f")" -ne $((128 << 20)) ]; then
    head -c $((128 << 20)) /dev/urandom > "$f"
  fi
done
total_bytes=$(du -cb "$data"/* | tail -1 | cut -f1)
# A 1 MB file: what each tool costs before and after hashing (process start, JVM start-up).
tiny="$out/tiny"
mkdir -p "$tiny"
[ -f "$tiny/one.bin" ] || head -c 1000000 /dev/urandom > "$tiny/one.bin"
cat "$data"/* > /dev/null # warm the page cache
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# timed CMD...: runs CMD, stdout to $out/stdout; prints "<wall s> <user+sys CPU s>".
timed() {
  /usr/bin/time -f '%e %U %S' -o "$out/time" "$@" > "$out/stdout"
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$out/time"
}
ours=(); theirs=(); ours_cpu=(); theirs_cpu=(); ours_tiny=(); theirs_tiny=()
ours_hash=""; theirs_hash=""
for r in $(seq 1 "$rounds"); do
  rm -f "$out/ours.torrent" "$out/mktorrent.torrent"
  read -r wall cpu < <(timed mktorrent -t 2 -l "$piece_log2" -o "$out/mktorrent.torrent" "$data")
  theirs+=("$wall"); theirs_cpu+=("$cpu")
  read -r wall cpu < <(timed java -jar "$jar" create "$data" -o "$out/ours.torrent" --piece-size $((1 << piece_log2)) --threads 2)
  ours+=("$wall"); ours_cpu+=("$cpu")
  ours_hash=$(sed -n 's/^info_hash: //p' "$out/stdout")
  rm -f "$out/tiny-ours.torrent" "$out/tiny-mktorrent.torrent"
  read -r wall cpu < <(timed mktorrent -t 2 -l "$piece_log2" -o "$out/tiny-mktorrent.torrent" "$tiny")
  theirs_tiny+=("$wall")
  read -r wall cpu < <(timed java -jar "$jar" create "$tiny" -o "$out/tiny-ours.torrent" --piece-size $((1 << piece_log2)) --threads 2)
  ours_tiny+=("$wall")
done
# The engine alone: the same creation repeated inside one warm JVM (no start-up, JIT warmed).
warm=($(java -cp "$jar" bench/create/CreateThroughput.java "$data" $((1 << piece_log2)) 2 "$rounds" | awk '{print $3}'))
theirs_hash=$(java -jar "$jar" info "$out/mktorrent.torrent" | sed -n 's/^info_hash: //p')
[ "$ours_hash" = "$theirs_hash" ] || { echo "info_hash mismatch: ours $ours_hash mktorrent $theirs_hash" >&2; exit 1; }

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ours_med=$(median "${ours[@]}"); theirs_med=$(median "${theirs[@]}"); warm_med=$(median "${warm[@]}")
# OpenSSL's SHA-1 on 1 MiB blocks, one core, in bytes/s; x2 for the 2 cores both tools use.
ssl_kbps=$(openssl speed -evp sha1 -seconds 2 -bytes 1048576 2>/dev/null | awk '/^sha1/ {print $2}' | tr -d k)
limit_bps=$(echo "$ssl_kbps * 1000 * 2" | bc -l)
java_bps=$(java bench/create/Sha1Probe.java 2 2 | awk '{print $2}')
ratio() { printf %.2f "$(echo "$1 / $2" | bc -l)"; }
mbps() { echo "scale=0; $total_bytes / $1 / 1000000" | bc -l; }
ours_mbps=$(mbps "$ours_med"); theirs_mbps=$(mbps "$theirs_med"); warm_mbps=$(mbps "$warm_med")
limit_mbps=$(echo "scale=0; $limit_bps / 1000000" | bc -l)

section=$(cat <<TABLE
## Torrent creation

$(date -u +%Y-%m-%d) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average
$load_before before the run (see below); $((total_bytes >> 20)) MiB in 8 files, warm page cache, 1 MiB pieces, 2 hashing threads each,
median of $rounds alternating rounds. Both tools produced info_hash \`$ours_hash\`. Our time includes JVM start.

| tool | median wall s | MB/s | speed vs mktorrent -t 2 | vs SHA-1 limit (2 cores) | median CPU s (user+sys) |
|---|---|---|---|---|---|
| kadtorrent create --threads 2 (whole command, JVM start included) | $(printf %.3f "$ours_med") | $ours_mbps | $(ratio "$theirs_med" "$ours_med")x | $(echo "scale=0; 100 * $ours_mbps / $limit_mbps" | bc -l)% | $(median "${ours_cpu[@]}") |
| TorrentCreator, 2 threads, warm JVM (CreateThroughput.java, separate run) | $(printf %.3f "$warm_med") | $warm_mbps | $(ratio "$theirs_med" "$warm_med")x | $(echo "scale=0; 100 * $warm_mbps / $limit_mbps" | bc -l)% | - |
| mktorrent -t 2 | $(printf %.3f "$theirs_med") | $theirs_mbps | 1.00x | $(echo "scale=0; 100 * $theirs_mbps / $limit_mbps" | bc -l)% | $(median "${theirs_cpu[@]}") |
| kadtorrent create of a 1 MB folder (start-up and exit only) | $(printf %.2f "$(median "${ours_tiny[@]}")") | - | - | - | - |
| mktorrent -t 2 of the same 1 MB folder | $(printf %.2f "$(median "${theirs_tiny[@]}")") | - | - | - | - |
| openssl speed -evp sha1 (1 MiB blocks) x 2 cores | - | $limit_mbps | - | 100% | - |
| Java MessageDigest SHA-1, 2 threads, in memory (Sha1Probe.java) | - | $(echo "scale=0; $java_bps / 1000000" | bc -l) | - | $(echo "scale=0; 100 * $java_bps / $limit_bps" | bc -l)% | - |

All rounds (wall s): ours ${ours[*]}; warm ${warm[*]}; mktorrent ${theirs[*]}; 1 MB: ours ${ours_tiny[*]}, mktorrent ${theirs_tiny[*]}.
CPU s per round: ours ${ours_cpu[*]}; mktorrent ${theirs_cpu[*]}.
Load average before: $load_before; at the end: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min).
Command: \`bench/create/run.sh $rounds\`
TABLE
)

results="$root/bench/RESULTS.md"
[ -f "$results" ] || printf '# Benchmark results\n\nEach section is written by its benchmark script; numbers are from one run on a shared machine.\n' > "$results"
# Replace our section (from its heading to the next "## " heading) and keep everyone else's.
python3 - "$results" "$section" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path).read()
pattern = re.compile(r"^## Torrent creation\n.*?(?=^## |\Z)", re.S | re.M)
text = pattern.sub(lambda m: section + "\n\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
echo "$section"
