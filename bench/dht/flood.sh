#!/usr/bin/env bash
# DHT flood: one IP (256 source ports of 127.0.0.1) floods our dht-node for SECONDS (default 10) while an
# honest querier on 127.0.0.2 asks ten times a second (bench/dht/flood.py).
# Usage: bench/dht/flood.sh [SECONDS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node.sh"
/usr/bin/python3 "$root/bench/dht/flood.py" "$port" "${1:-10}"
if kill -0 "$node_pid" 2>/dev/null; then echo "dht-node still running after the flood"; else echo "dht-node died" >&2; exit 1; fi
