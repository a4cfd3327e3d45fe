#!/usr/bin/python3
"""DHT interop check between kadtorrent and libtorrent (python3-libtorrent) on 127.0.0.1, or on ::1
(BEP 32's IPv6 DHT: nodes6, 18-byte values) when HOST is ::1.

Usage: lt_dht_interop.py KADTORRENT_LAUNCHER DHT_NODE_PORT [HOST]

1. A libtorrent session joins the DHT through our `dht-node` (bench/lib/lt_loopback.py's loopback settings).
2. Our `kadtorrent dht announce` announces port 40000 for hash A; libtorrent's get_peers must find it.
3. libtorrent announces hash B on its listen port; our `kadtorrent dht get-peers` must find it.
Every wait is bounded; exit code 0 only if both directions worked.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

import libtorrent as lt

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from lt_loopback import loopback_dht_session  # noqa: E402

LAUNCHER, NODE_PORT = sys.argv[1], int(sys.argv[2])
HOST = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
HOST_PORT = ("[%s]" % HOST if ":" in HOST else HOST) + ":%d"  # host:port as the CLI reads and prints it
TIMEOUT_S = 60

ses = loopback_dht_session(HOST, NODE_PORT)


def log(msg):
    print("interop:", msg, flush=True)


def drain(handler):
    for a in ses.pop_alerts():
        handler(a)


def wait_until(predicate, what, handler=lambda a: None):
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        ses.wait_for_alert(500)
        drain(handler)
        if predicate():
            return True
    log("timed out waiting for " + what)
    return False


def live_nodes():
    ses.post_dht_stats()
    count = [0]

    def on(a):
        if isinstance(a, lt.dht_stats_alert):
            count[0] = sum(b["num_nodes"] for b in a.routing_table) if a.routing_table else 0
    ses.wait_for_alert(500)
    drain(on)
    return count[0]


def kadtorrent(*args):
    cmd = [LAUNCHER, *args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    log("$ " + " ".join(cmd) + " -> exit %d\n%s%s" % (out.returncode, out.stdout, out.stderr))
    return out


ok = wait_until(lambda: live_nodes() > 0, "libtorrent to learn a DHT node")
lt_port = ses.listen_port()
log("libtorrent listening on %s, knows our node: %s" % (HOST_PORT % lt_port, ok))

# Direction 1: our announce, libtorrent's get_peers.
hash_a = hashlib.sha1(b"kadtorrent interop A").digest()
res = kadtorrent("dht", "announce", hash_a.hex(), "--port", "40000",
                 "--bootstrap", HOST_PORT % NODE_PORT, "--bind", HOST)
found_a = set()


def on_peers(a):
    if isinstance(a, lt.dht_get_peers_reply_alert) and bytes.fromhex(str(a.info_hash)) == hash_a:
        for p in a.peers():
            found_a.add(p)


sent = [0.0]


def libtorrent_found_a():
    if time.monotonic() - sent[0] > 5:  # re-ask now and then; a get_peers may race the announce
        ses.dht_get_peers(lt.sha1_hash(hash_a))
        sent[0] = time.monotonic()
    return (HOST, 40000) in found_a


dir1 = res.returncode == 0 and wait_until(libtorrent_found_a, "libtorrent to find our peer", on_peers)
log("libtorrent found %s -> %s" % (sorted(found_a), "OK" if dir1 else "FAIL"))

# Direction 2: libtorrent's announce, our get_peers. (session.dht_announce's flags argument cannot
# be built from Python in the 2.0 bindings, so libtorrent announces the way it does for any torrent:
# a magnet-only torrent it is fetching, announced on its listen port.)
hash_b = hashlib.sha1(b"kadtorrent interop B").digest()
atp = lt.parse_magnet_uri("magnet:?xt=urn:btih:" + hash_b.hex())
atp.save_path = tempfile.mkdtemp(prefix="kt-interop-")
handle = ses.add_torrent(atp)
handle.force_dht_announce()
# libtorrent sends announce_peer only when its get_peers traversal is done, and a traversal waits out each node it
# asked that does not answer (about 15 s). Here that is direction 1's one-shot `dht announce` node, gone by now, which
# libtorrent 2.0.8 put in its table although every query of it said ro=1 (BEP 43). So wait for the announce itself.
announced = [False]


def on_announce(a):
    if isinstance(a, lt.dht_log_alert) and "sending announce_peer" in a.message():
        announced[0] = True


wait_until(lambda: announced[0], "libtorrent to send its announce_peer", on_announce)
expected = "peer: " + HOST_PORT % lt_port
dir2 = False
for attempt in range(10):
    ses.wait_for_alert(2000)  # let the announce reach our node (bounded: 10 rounds)
    drain(lambda a: None)
    res = kadtorrent("dht", "get-peers", hash_b.hex(), "--bootstrap", HOST_PORT % NODE_PORT,
                     "--bind", HOST, "--timeout", "30")
    if expected in res.stdout.splitlines():
        dir2 = True
        break
log("kadtorrent found libtorrent's peer -> %s" % ("OK" if dir2 else "FAIL"))
ses.remove_torrent(handle)
shutil.rmtree(atp.save_path, ignore_errors=True)
sys.exit(0 if dir1 and dir2 else 1)
