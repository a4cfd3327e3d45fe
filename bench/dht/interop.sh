#!/usr/bin/env bash
# DHT compatibility with libtorrent on loopback: each side finds a peer the other announced, and gets the BEP 44
# items (immutable, mutable with and without salt) the other put, in the
# IPv4 DHT on 127.0.0.1 and in the IPv6 DHT (BEP 32) on ::1, through one dht-node in both.
# Installs python3-libtorrent when missing. Usage: bench/dht/interop.sh
set -euo pipefail
NEED_LIBTORRENT=1
DHT_V6=1
source "$(dirname "${BASH_SOURCE[0]}")/node.sh"
echo "interop: our dht-node on 127.0.0.1:$port and [::1]:$port6"
/usr/bin/python3 "$root/bench/dht/lt_dht_interop.py" "$root/kadtorrent" "$port" 127.0.0.1
/usr/bin/python3 "$root/bench/dht/lt_dht_interop.py" "$root/kadtorrent" "$port6" ::1
# BEP 44 items both ways (immutable, mutable with and without salt), in each DHT.
/usr/bin/python3 "$root/bench/dht/lt_bep44_interop.py" "$root/kadtorrent" "$port" 127.0.0.1
/usr/bin/python3 "$root/bench/dht/lt_bep44_interop.py" "$root/kadtorrent" "$port6" ::1
