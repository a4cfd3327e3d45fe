#!/usr/bin/env bash
# DHT compatibility with libtorrent on loopback: each side finds a peer the other announced.
# Installs python3-libtorrent when missing. Usage: bench/dht/interop.sh
set -euo pipefail
NEED_LIBTORRENT=1
source "$(dirname "${BASH_SOURCE[0]}")/node.sh"
echo "interop: our dht-node on 127.0.0.1:$port"
/usr/bin/python3 "$root/bench/dht/lt_dht_interop.py" "$root/kadtorrent" "$port"
