#!/usr/bin/python3
"""BEP 44 interop between kadtorrent and libtorrent 2.0 (python3-libtorrent) on loopback.

Usage: lt_bep44_interop.py KADTORRENT_LAUNCHER DHT_NODE_PORT [HOST]

A libtorrent session joins the DHT through our `dht-node` (bench/lib/lt_loopback.py's loopback
settings, no bootstrap from the internet), then, each way round:
  immutable  `kadtorrent dht put --value` -> libtorrent dht_get_immutable_item, and
             libtorrent dht_put_immutable_item -> `kadtorrent dht get TARGET`;
  mutable    `kadtorrent dht put --key` -> libtorrent dht_get_mutable_item, and
             libtorrent dht_put_mutable_item -> `kadtorrent dht get --public-key`,
             once without a salt and once with one.
Both sides sign with keys from `kadtorrent keygen`: the key file holds the RFC 8032 32-byte seed; the
2.0 Python binding has no ed25519_create_keypair, so libtorrent's 64-byte secret key (SHA-512 of the
seed, clamped, as its ed25519_create_keypair makes it) is derived here. libtorrent's Python
dht_put_mutable_item stores its value as one bencoded byte string and picks seq = current + 1 itself.
Every wait is bounded; prints one "bep44: <check> OK|FAIL" line per check; exit code 0 only if all pass.
"""
import hashlib
import os
import subprocess
import sys
import tempfile
import time

import libtorrent as lt

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from lt_loopback import loopback_dht_session  # noqa: E402

LAUNCHER, NODE_PORT = sys.argv[1], int(sys.argv[2])
HOST = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
HOST_PORT = ("[%s]" % HOST if ":" in HOST else HOST) + ":%d"
TIMEOUT_S = 60
BOOTSTRAP = HOST_PORT % NODE_PORT

ses = loopback_dht_session(HOST, NODE_PORT)
results = []


def log(msg):
    print("bep44:", msg, flush=True)


def check(name, ok, detail=""):
    results.append(ok)
    log("%s %s%s" % (name, "OK" if ok else "FAIL", (" (" + detail + ")") if detail else ""))


def wait_for(predicate, what, ask=None, every_s=5.0):
    """Pops alerts until predicate(alert) is true for one; re-runs ask() every every_s seconds."""
    deadline = time.monotonic() + TIMEOUT_S
    asked = -every_s
    while time.monotonic() < deadline:
        if ask and time.monotonic() - asked >= every_s:
            ask()
            asked = time.monotonic()
        ses.wait_for_alert(500)
        for a in ses.pop_alerts():
            if isinstance(a, (lt.dht_immutable_item_alert, lt.dht_mutable_item_alert, lt.dht_put_alert)):
                log("libtorrent alert: " + a.message())
            if predicate(a):
                return a
    log("timed out waiting for " + what)
    return None


def live_nodes():
    count = [0]

    def on(a):
        if isinstance(a, lt.dht_stats_alert):
            count[0] = sum(b["num_nodes"] for b in a.routing_table) if a.routing_table else 0
            return True
        return False
    wait_for(on, "dht stats", ses.post_dht_stats, every_s=1)
    return count[0]


def kadtorrent(*args):
    cmd = [LAUNCHER, *args, "--bootstrap", BOOTSTRAP, "--bind", HOST, "--timeout", "30"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    log("$ " + " ".join(cmd) + " -> exit %d\n%s%s" % (out.returncode, out.stdout, out.stderr))
    return out


def field(out, key):
    for line in out.stdout.splitlines():
        if line.startswith(key + ": "):
            return line[len(key) + 2:]
    return None


def as_bytes(v):
    return v.encode() if isinstance(v, str) else bytes(v)


def item_value(a):
    """The value an item alert carries: the 2.0 binding gives a dict whose "value" is the decoded v."""
    item = a.item
    return as_bytes(item["value"]) if isinstance(item, dict) else as_bytes(item)


def keygen(path):
    """Our key pair from `kadtorrent keygen`, and libtorrent's 64-byte secret key for the same seed."""
    subprocess.run([LAUNCHER, "keygen", "-o", path], check=True, capture_output=True, timeout=120)
    seed = bytes.fromhex(open(path).read().split()[1])
    public = bytes.fromhex(open(path + ".pub").read().split()[1])
    h = bytearray(hashlib.sha512(seed).digest())  # RFC 8032 5.1.5, as libtorrent's ed25519_create_keypair
    h[0] &= 248
    h[31] &= 63
    h[31] |= 64
    return public, bytes(h)


def bencoded_string(b):
    return str(len(b)).encode() + b":" + b


work = tempfile.mkdtemp(prefix="kt-bep44-")
deadline = time.monotonic() + TIMEOUT_S
while live_nodes() == 0 and time.monotonic() < deadline:  # each call waits for libtorrent's stats alert
    pass
log("libtorrent on %s knows %d DHT node(s)" % (HOST_PORT % ses.listen_port(), live_nodes()))

# 1. Immutable, ours -> libtorrent.
value = b"kadtorrent immutable item"
res = kadtorrent("dht", "put", "--value", value.decode())
target = field(res, "target")
ok = res.returncode == 0 and target == hashlib.sha1(bencoded_string(value)).hexdigest()
if ok:
    a = wait_for(lambda a: isinstance(a, lt.dht_immutable_item_alert) and str(a.target) == target
                 and item_value(a) == value, "libtorrent to get our immutable item",
                 lambda: ses.dht_get_immutable_item(lt.sha1_hash(bytes.fromhex(target))))
    ok = a is not None
check("immutable kadtorrent-put libtorrent-get", ok)

# 2. Immutable, libtorrent -> ours.
value = b"libtorrent immutable item"
lt_target = str(ses.dht_put_immutable_item(value))
a = wait_for(lambda a: isinstance(a, lt.dht_put_alert) and str(a.target) == lt_target,
             "libtorrent's immutable put to finish")
log("libtorrent put %s on %s node(s)" % (lt_target, a.num_success if a else "?"))
res = kadtorrent("dht", "get", lt_target)
check("immutable libtorrent-put kadtorrent-get",
      res.returncode == 0 and field(res, "value") == value.decode()
      and lt_target == hashlib.sha1(bencoded_string(value)).hexdigest())

for salt in (b"", b"interop-salt"):
    label = "with salt" if salt else "no salt"
    # 3. Mutable, ours -> libtorrent.
    ours = os.path.join(work, "ours" + salt.decode())
    public, _ = keygen(ours)
    value = b"kadtorrent mutable item " + label.encode()
    salt_args = ["--salt", salt.decode()] if salt else []
    res = kadtorrent("dht", "put", "--key", ours, "--value", value.decode(), *salt_args)
    seq = field(res, "seq")
    ok = res.returncode == 0 and seq is not None
    if ok:
        a = wait_for(lambda a: isinstance(a, lt.dht_mutable_item_alert) and bytes(a.key) == public
                     and as_bytes(a.salt) == salt and item_value(a) == value and a.seq == int(seq),
                     "libtorrent to get our mutable item",
                     lambda: ses.dht_get_mutable_item(public, salt))
        ok = a is not None
    check("mutable %s kadtorrent-put libtorrent-get" % label, ok)

    # 4. Mutable, libtorrent -> ours.
    theirs = os.path.join(work, "theirs" + salt.decode())
    public, secret = keygen(theirs)
    value = b"libtorrent mutable item " + label.encode()
    ses.dht_put_mutable_item(secret, public, value, salt)
    a = wait_for(lambda a: isinstance(a, lt.dht_put_alert) and bytes(a.public_key) == public
                 and as_bytes(a.salt) == salt, "libtorrent's mutable put to finish")
    log("libtorrent put seq %s on %s node(s)" % (a.seq if a else "?", a.num_success if a else "?"))
    res = kadtorrent("dht", "get", "--public-key", theirs + ".pub", *salt_args)
    check("mutable %s libtorrent-put kadtorrent-get" % label,
          res.returncode == 0 and field(res, "value") == value.decode()
          and a is not None and field(res, "seq") == str(a.seq))

log("%d of %d checks passed" % (sum(results), len(results)))
sys.exit(0 if all(results) else 1)
