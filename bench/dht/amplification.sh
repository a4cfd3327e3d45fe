#!/usr/bin/env bash
# DHT amplification: bytes out / bytes in per query type, our dht-node and libtorrent, both on 127.0.0.1
# with the same fill and the same queries (bench/dht/amplification.py). Installs python3-libtorrent when
# missing. The bound that fails a build is in dht/src/test/.../engine/AmplificationTest.java.
# Usage: bench/dht/amplification.sh
set -euo pipefail
NEED_LIBTORRENT=1
source "$(dirname "${BASH_SOURCE[0]}")/node.sh"
/usr/bin/python3 "$root/bench/dht/amplification.py" kadtorrent "$port"
echo
/usr/bin/python3 "$root/bench/dht/amplification.py" libtorrent
