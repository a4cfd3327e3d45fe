#!/usr/bin/python3
"""A tiny HTTP tracker on loopback for the interop checks: /announce (compact peers, BEP 23, and peers6)
and /scrape (BEP 48). Remembers who announced what; hands each announcer the others.

  tracker.py HOST        serve on HOST (127.0.0.1 or ::1), any port; prints 'listening: tcp HOST:PORT'
"""
import os
import socket
import struct
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from bencode import bencode  # noqa: E402

SWARMS = {}  # info_hash bytes -> {(ip, port): left}
LOCK = threading.Lock()


def params(query):
    out = {}
    for pair in query.split('&'):
        if '=' in pair:
            k, v = pair.split('=', 1)
            out.setdefault(k, []).append(urllib.parse.unquote_to_bytes(v))
    return out


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, body):
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path, _, query = self.path.partition('?')
        q = params(query)
        if path == '/announce':
            ih = q['info_hash'][0]
            port = int(q['port'][0])
            left = int(q.get('left', [b'0'])[0])
            event = q.get('event', [b''])[0]
            who = (self.client_address[0], port)
            with LOCK:
                swarm = SWARMS.setdefault(ih, {})
                others = [p for p in swarm if p != who]
                if event == b'stopped':
                    swarm.pop(who, None)
                else:
                    swarm[who] = left
            v4 = b''.join(socket.inet_pton(socket.AF_INET, ip) + struct.pack('>H', p) for ip, p in others if ':' not in ip)
            v6 = b''.join(socket.inet_pton(socket.AF_INET6, ip) + struct.pack('>H', p) for ip, p in others if ':' in ip)
            with LOCK:
                seeds = sum(1 for left in swarm.values() if left == 0)
                leechers = len(swarm) - seeds
            self.answer(bencode({'interval': 30, 'complete': seeds, 'incomplete': leechers, 'peers': v4, 'peers6': v6}))
        elif path == '/scrape':
            files = {}
            with LOCK:
                for ih in q.get('info_hash', []):
                    swarm = SWARMS.get(ih, {})
                    seeds = sum(1 for left in swarm.values() if left == 0)
                    files[ih] = {'complete': seeds, 'downloaded': 0, 'incomplete': len(swarm) - seeds}
            self.answer(bencode({'files': files}))
        else:
            self.send_error(404)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host):
        self.address_family = socket.AF_INET6 if ':' in host else socket.AF_INET
        super().__init__((host, 0), Handler)


if __name__ == '__main__':
    host = sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1'
    server = Server(host)
    print('listening: tcp %s:%d' % (host, server.server_address[1]), flush=True)
    server.serve_forever()
