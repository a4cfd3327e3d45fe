#!/usr/bin/python3
"""Prints raw loopback TCP throughput in MB/s: one socket sends TOTAL bytes to another (1 MiB writes)."""
import socket
import sys
import threading
import time

total = int(sys.argv[1]) if len(sys.argv) > 1 else 1 << 30
srv = socket.socket()
srv.bind(('127.0.0.1', 0))
srv.listen(1)
got = [0]


def receive():
    conn, _ = srv.accept()
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    while True:
        n = conn.recv_into(view)
        if n == 0:
            break
        got[0] += n
    conn.close()


t = threading.Thread(target=receive)
t.start()
c = socket.create_connection(srv.getsockname())
chunk = memoryview(bytes(1 << 20))
start = time.time()
sent = 0
while sent < total:
    sent += c.send(chunk)
c.close()
t.join()
print('%.0f' % (got[0] / (time.time() - start) / 1e6))
