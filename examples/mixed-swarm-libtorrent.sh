#!/usr/bin/env bash
# A mixed swarm with a real BitTorrent client: our DHT bootstrap node and seeder, one kadtorrent
# downloader and one libtorrent downloader (Debian's python3-libtorrent, installed when missing),
# all finding each other through the same DHT on 127.0.0.1. Passes when both copies are
# byte-identical; prints who served whom. Usage: examples/mixed-swarm-libtorrent.sh [MIB]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/kadtorrent" --version >/dev/null   # builds the jar when missing
exec "$root/bench/swarm/mixed.sh" "${1:-32}"
