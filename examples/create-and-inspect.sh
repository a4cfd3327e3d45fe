#!/usr/bin/env bash
# Creates a torrent from a folder and inspects it: plain and --json output, info_hash and magnet link.
# Usage: examples/create-and-inspect.sh [FOLDER]   (without FOLDER a small sample folder is generated)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kadtorrent-create.XXXXXX")"
trap 'rm -rf "$work"' EXIT

folder="${1:-}"
if [ -z "$folder" ]; then
  folder="$work/sample"
  mkdir -p "$folder/sub"
  head -c 300000 /dev/urandom >"$folder/a.bin"
  head -c 12345 /dev/urandom >"$folder/sub/b.bin"
  : >"$folder/sub/empty.txt"
fi

echo "\$ kadtorrent create $folder -o sample.torrent --piece-size 32768 --node 127.0.0.1:6881"
"$root/kadtorrent" create "$folder" -o "$work/sample.torrent" --piece-size 32768 --node 127.0.0.1:6881
echo
echo "\$ kadtorrent info sample.torrent"
"$root/kadtorrent" info "$work/sample.torrent"
echo
echo "\$ kadtorrent info sample.torrent --json"
"$root/kadtorrent" info "$work/sample.torrent" --json
