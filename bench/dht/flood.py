#!/usr/bin/python3
"""DHT flood on loopback: does a node keep answering others while one IP floods it?

Usage: flood.py PORT [SECONDS]   (a DHT node listening on 127.0.0.1:PORT)

A flooder sends find_node and get_peers as fast as one Python process can, round-robin over 256 source
ports of 127.0.0.1 (what a spoofer forging one address looks like to the node). Meanwhile an honest
querier on 127.0.0.2 (another IP on the loopback interface) sends one get_peers every 100 ms and waits
up to 1 s for each answer. Prints what each got.
"""
import multiprocessing
import os
import socket
import sys
import threading
import time

PORT = int(sys.argv[1])
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
NODE = ("127.0.0.1", PORT)


def s(b):
    return str(len(b)).encode() + b":" + b


def q(method, body, tid):
    m = method.encode()
    return b"d1:ad2:id20:" + os.urandom(20) + body + b"e1:q" + s(m) + b"1:t" + s(tid) + b"1:y1:qe"


stop = time.monotonic() + SECONDS
flood = {"sent": 0, "bytes_in": 0}
honest = {"asked": 0, "answered": 0}


def flooder(socks, out):
    """Runs in its own process, so the honest querier's timing does not wait on the GIL."""
    i = 0
    while time.monotonic() < stop:
        for _ in range(256):
            d = q("find_node", b"6:target" + s(os.urandom(20)), b"f") if i % 2 else \
                q("get_peers", b"9:info_hash" + s(os.urandom(20)), b"f")
            try:
                socks[i % len(socks)].sendto(d, NODE)
                flood["sent"] += 1
                flood["bytes_in"] += len(d)
            except BlockingIOError:
                pass
            i += 1
    time.sleep(0.5)
    answers = answer_bytes = 0
    for x in socks:
        while True:
            try:
                answer_bytes += len(x.recv(65536))
                answers += 1
            except BlockingIOError:
                break
        x.close()
    out.put((flood["sent"], flood["bytes_in"], answers, answer_bytes))


def honest_querier():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.2", 0))
    n = 0
    while time.monotonic() < stop:
        n += 1
        tid = b"h%d" % n
        sock.settimeout(1.0)
        sock.sendto(q("get_peers", b"9:info_hash" + s(os.urandom(20)), tid), NODE)
        honest["asked"] += 1
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            try:
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                reply, _ = sock.recvfrom(65536)
            except socket.timeout:
                break
            if b"1:t" + s(tid) in reply:
                honest["answered"] += 1
                break
        time.sleep(0.1)
    sock.close()


if __name__ == "__main__":
    socks = []
    for _ in range(256):
        x = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        x.bind(("127.0.0.1", 0))
        x.setblocking(False)
        socks.append(x)
    results = multiprocessing.Queue()
    flood_process = multiprocessing.Process(target=flooder, args=(socks, results))
    flood_process.start()
    honest_querier()
    sent, bytes_in, answers, answer_bytes = results.get(timeout=SECONDS + 30)
    flood_process.join()
    print("flood: %.0f s, %d queries (%d bytes) from 256 ports of 127.0.0.1; %d answered (%d bytes, %.4f bytes out per"
          " byte in)" % (SECONDS, sent, bytes_in, answers, answer_bytes, answer_bytes / max(1, bytes_in)))
    print("honest querier on 127.0.0.2: %d of %d get_peers answered within 1 s" % (honest["answered"], honest["asked"]))
