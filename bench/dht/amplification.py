#!/usr/bin/python3
"""DHT amplification on 127.0.0.1: bytes out / bytes in for the smallest valid query of each type.

Usage: amplification.py kadtorrent PORT     (measure our dht-node already listening on 127.0.0.1:PORT)
       amplification.py libtorrent          (start a loopback-only libtorrent DHT node here and measure it)

Both nodes are first filled over plain KRPC the same way: 400 pings from distinct source ports (full
buckets), 60 announces for one hash (the most values a get_peers answer carries), 40 more hashes (a full
BEP 51 sample), one 1000-byte immutable item. Fill traffic is paced under our per-IP query limit.
Then each query below is sent once from a fresh socket and its answer's size recorded.
"""
import hashlib
import os
import socket
import sys
import time

PACE_S = 1 / 40.0


def bdecode(b, i=0):
    c = b[i:i + 1]
    if c == b"i":
        j = b.index(b"e", i)
        return int(b[i + 1:j]), j + 1
    if c in (b"l", b"d"):
        i += 1
        out = [] if c == b"l" else {}
        while b[i:i + 1] != b"e":
            if c == b"l":
                v, i = bdecode(b, i)
                out.append(v)
            else:
                k, i = bdecode(b, i)
                v, i = bdecode(b, i)
                out[k] = v
        return out, i + 1
    j = b.index(b":", i)
    n = int(b[i:j])
    return b[j + 1:j + 1 + n], j + 1 + n


def s(b):
    return str(len(b)).encode() + b":" + b


def q(method, body=b""):
    """d1:ad2:id20:<id><body>e1:q<method>1:t1:x1:y1:qe: one-byte transaction id, nothing optional."""
    m = method.encode()
    return b"d1:ad2:id20:" + rid() + body + b"e1:q" + s(m) + b"1:t1:x1:y1:qe"


def ask(addr, datagram, timeout=2.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(timeout)
    try:
        s.sendto(datagram, addr)
        reply, _ = s.recvfrom(65536)
        return reply
    except socket.timeout:
        return None
    finally:
        s.close()
        time.sleep(PACE_S)


def rid():
    return os.urandom(20)


def token_for(addr, hash20):
    """libtorrent's write tokens depend on the target as well as the IP, so get one per target."""
    r = ask(addr, q("get_peers", b"9:info_hash" + s(hash20)))
    return bdecode(r)[0][b"r"][b"token"]


def fill(addr, held):
    for _ in range(400):
        ask(addr, q("ping"), timeout=0.5)
    for i in range(60):
        ask(addr, q("announce_peer", b"9:info_hash" + s(held) + b"4:porti%de" % (10000 + i)
                    + b"5:token" + s(token_for(addr, held))))
    for _ in range(40):
        h = rid()
        ask(addr, q("announce_peer", b"9:info_hash" + s(h) + b"4:porti6881e5:token" + s(token_for(addr, h))))
    value = b"996:" + b"x" * 996
    target = hashlib.sha1(value).digest()
    r = ask(addr, q("put", b"5:token" + s(token_for(addr, target)) + b"1:v" + value))
    if r is None or b"1:y1:r" not in r:
        print("warning: item not stored:", r, file=sys.stderr)
    return target


def measure(name, addr):
    held = rid()
    target = fill(addr, held)
    other = rid()
    small = b"i1e"

    cases = [
        ("ping", q("ping")),
        ("find_node", q("find_node", b"6:target" + s(other))),
        ("get_peers (no peers held)", q("get_peers", b"9:info_hash" + s(other))),
        ("get_peers (peers held)", q("get_peers", b"9:info_hash" + s(held))),
        ("announce_peer", q("announce_peer", b"9:info_hash" + s(other) + b"4:porti1e5:token" + s(token_for(addr, other)))),
        ("get (item absent)", q("get", b"6:target" + s(other))),
        ("get (1000-byte item present)", q("get", b"6:target" + s(target))),
        ("put", q("put", b"5:token" + s(token_for(addr, hashlib.sha1(small).digest())) + b"1:v" + small)),
        ("sample_infohashes", q("sample_infohashes", b"6:target" + s(other))),
    ]
    print("| %s: query | bytes in | bytes out | factor | answer |" % name)
    print("|---|---:|---:|---:|---|")
    for label, d in cases:
        r = ask(addr, d)
        if r is None:
            print("| %s | %d | - | - | no answer |" % (label, len(d)))
            continue
        kind = {b"r": "response", b"e": "error"}.get(bdecode(r)[0].get(b"y"), "?")
        print("| %s | %d | %d | %.2f | %s |" % (label, len(d), len(r), len(r) / len(d), kind))
    sys.stdout.flush()


def libtorrent_node():
    import libtorrent as lt
    ses = lt.session({
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": True,
        "dht_bootstrap_nodes": "",
        "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False,
        "dht_block_ratelimit": 100000,
        "dht_upload_rate_limit": 1000000,
    })
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and ses.listen_port() == 0:
        time.sleep(0.1)
    return ses, ses.listen_port()


if __name__ == "__main__":
    if sys.argv[1] == "libtorrent":
        ses, port = libtorrent_node()
        time.sleep(1)
        measure("libtorrent " + __import__("libtorrent").__version__, ("127.0.0.1", port))
        del ses
    else:
        measure("kadtorrent", ("127.0.0.1", int(sys.argv[2])))
