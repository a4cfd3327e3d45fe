#!/usr/bin/env bash
# `create` of a large folder as whole commands, ours (`./kadtorrent create`, JVM start included) against
# `mktorrent -t 2`, alternating, on the same sparse files in a temporary folder (deleted at the end): a
# sparse file reads as zeros from the page cache, so both tools are bound by SHA-1 and their own overheads,
# not by the disk. Same piece size and 2 hashing threads each; both must produce the same info_hash.
# Usage: bench/create/whole.sh [GIB] [ROUNDS] [PIECE_LOG2]     (default 8 GiB in 8 files, 2 rounds, 2 MiB pieces)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
gib="${1:-8}"; rounds="${2:-2}"; piece_log2="${3:-21}"
command -v mktorrent >/dev/null || { apt-get update -qq && apt-get install -y -qq mktorrent; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
work="$(mktemp -d /tmp/kadtorrent-create-XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/data"
for i in $(seq 1 8); do truncate -s $((gib * 1024 * 1024 * 1024 / 8)) "$work/data/part-$i.bin"; done
"$root/kadtorrent" --version > /dev/null # builds the jar and the start-up cache when missing
timed() { /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" > "$work/stdout"; awk '{printf "%s %.2f\n", $1, $2 + $3}' "$work/time"; }
echo "$(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$gib GiB in 8 sparse files, pieces of $((1 << piece_log2)) bytes, 2 threads each; wall s and user+sys CPU s"
for r in $(seq 1 "$rounds"); do
  rm -f "$work/m.torrent" "$work/k.torrent"
  read -r mw mc < <(timed mktorrent -t 2 -l "$piece_log2" -o "$work/m.torrent" "$work/data")
  read -r kw kc < <(timed "$root/kadtorrent" create "$work/data" -o "$work/k.torrent" --piece-size $((1 << piece_log2)) --threads 2)
  echo "round $r: mktorrent -t 2 ${mw}s (cpu $mc)  kadtorrent create ${kw}s (cpu $kc)  ratio ours/mktorrent $(echo "scale=2; $kw / $mw" | bc -l)"
done
ours=$("$root/kadtorrent" info "$work/k.torrent" | sed -n 's/^info_hash: //p')
theirs=$("$root/kadtorrent" info "$work/m.torrent" | sed -n 's/^info_hash: //p')
[ "$ours" = "$theirs" ] && echo "same info_hash: $ours" || { echo "info_hash mismatch: ours $ours mktorrent $theirs" >&2; exit 1; }
