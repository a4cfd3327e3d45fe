#!/usr/bin/python3
"""The soak's peers that are not ours (bench/soak/run.sh), each a subcommand, loopback only:

  peers.py corrupt T.torrent...                 a seed of every torrent that answers each request with
                                                random bytes (so every piece it serves fails its hash)
  peers.py flood SEED TCP_TARGETS UDP_TARGETS T.torrent...
                                                per TCP target (host:port,...): handshakes, then blocks
                                                nobody asked for and bursts of keep-alives, reconnecting
                                                when dropped; DHT queries of every type to the UDP targets
  peers.py lt SEED DATA OUT PEERS T.torrent...  libtorrent: one session seeds every torrent, two more
                                                download them again and again (seeded order), each copy
                                                compared with DATA; PEERS: our peers to dial (host:port,...)
Each prints 'listening: tcp host:port' when it serves, counters on SIGTERM, and stops on SIGTERM.
"""
import asyncio
import hashlib
import os
import random
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from bencode import bencode  # noqa: E402

PSTR = b'\x13BitTorrent protocol'


def bdecode(data, i=0, spans=None):
    """(value, end); spans['info'] = (start, end) of the top-level info dictionary's bytes."""
    c = data[i:i + 1]
    if c == b'i':
        j = data.index(b'e', i)
        return int(data[i + 1:j]), j + 1
    if c == b'l':
        i += 1
        out = []
        while data[i:i + 1] != b'e':
            v, i = bdecode(data, i)
            out.append(v)
        return out, i + 1
    if c == b'd':
        i += 1
        out = {}
        while data[i:i + 1] != b'e':
            k, i = bdecode(data, i)
            start = i
            v, i = bdecode(data, i)
            if spans is not None and k == b'info':
                spans['info'] = (start, i)
            out[k] = v
        return out, i + 1
    j = data.index(b':', i)
    n = int(data[i:j])
    return data[j + 1:j + 1 + n], j + 1 + n


class Torrent:
    def __init__(self, path):
        raw = open(path, 'rb').read()
        spans = {}
        meta, _ = bdecode(raw, 0, spans)
        info = meta[b'info']
        self.path = path
        self.info_hash = hashlib.sha1(raw[spans['info'][0]:spans['info'][1]]).digest()
        self.name = info[b'name'].decode()
        self.piece_length = info[b'piece length']
        self.pieces = len(info[b'pieces']) // 20
        self.total = sum(f[b'length'] for f in info[b'files']) if b'files' in info else info[b'length']
        self.files = ([os.path.join(self.name, *[p.decode() for p in f[b'path']]) for f in info[b'files']]
                      if b'files' in info else [self.name])


def bitfield(n):
    b = bytearray((n + 7) // 8)
    for i in range(n):
        b[i // 8] |= 0x80 >> (i % 8)
    return bytes(b)


def msg(mid, payload=b''):
    return struct.pack('>IB', 1 + len(payload), mid) + payload


def peer_id(tag):
    return tag + os.urandom(20 - len(tag))


async def read_msg(reader):
    n = struct.unpack('>I', await reader.readexactly(4))[0]
    if n > (1 << 20):
        raise ValueError('message too long')
    body = await reader.readexactly(n) if n else b''
    return (body[0], body[1:]) if n else (None, b'')


def on_term(loop, report):
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    return stop


# ---- corrupt seed ----------------------------------------------------------------------------------
async def corrupt(paths):
    torrents = {t.info_hash: t for t in map(Torrent, paths)}
    counts = {'connections': 0, 'blocks': 0, 'closed_by_peer': 0}
    per_peer = {}  # peer_id -> plain-text connections it made (a peer that banned us must not come back)

    async def serve(reader, writer):
        counts['connections'] += 1
        try:
            hs = await reader.readexactly(68)
            t = torrents.get(hs[28:48])
            if hs[:20] != PSTR or t is None:
                return  # e.g. an MSE handshake: our peers then retry in plain text
            per_peer[hs[48:68]] = per_peer.get(hs[48:68], 0) + 1
            writer.write(PSTR + bytes(8) + t.info_hash + peer_id(b'-XX0001-'))
            writer.write(msg(5, bitfield(t.pieces)) + msg(1))  # bitfield (all), unchoke
            await writer.drain()
            while True:
                mid, payload = await read_msg(reader)
                if mid == 6 and len(payload) == 12:  # request -> a block of random bytes
                    index, begin, length = struct.unpack('>III', payload)
                    length = min(length, 1 << 17)
                    writer.write(msg(7, struct.pack('>II', index, begin) + os.urandom(length)))
                    counts['blocks'] += 1
                    await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            counts['closed_by_peer'] += 1
        finally:
            writer.close()

    server = await asyncio.start_server(serve, '127.0.0.1', 0)
    print('listening: tcp 127.0.0.1:%d' % server.sockets[0].getsockname()[1], flush=True)
    await on_term(asyncio.get_running_loop(), None).wait()
    print('corrupt: %d connections (%d in plain text from %d peer_ids, at most %d from one), %d corrupt blocks sent'
          % (counts['connections'], sum(per_peer.values()), len(per_peer), max(per_peer.values(), default=0),
             counts['blocks']), flush=True)


# ---- flooder ---------------------------------------------------------------------------------------
async def flood(seed, tcp_targets, udp_targets, paths):
    rng = random.Random(seed)
    torrents = [Torrent(p) for p in paths]
    counts = {'connections': 0, 'dropped': 0, 'blocks': 0, 'keepalives': 0, 'dht_queries': 0, 'dht_answers': 0}

    async def one(host, port, t):
        while True:
            try:
                reader, writer = await asyncio.open_connection(host, port)
                counts['connections'] += 1
                writer.write(PSTR + bytes(8) + t.info_hash + peer_id(b'-FL0001-'))
                await writer.drain()
                await reader.readexactly(68)

                async def drain_input():
                    while await reader.read(65536):
                        pass
                sink = asyncio.ensure_future(drain_input())
                try:
                    while not sink.done():
                        # a block nobody asked for, then a burst of keep-alives (about 64 KiB/s per target)
                        index = rng.randrange(t.pieces)
                        writer.write(msg(7, struct.pack('>II', index, 0) + os.urandom(16384)))
                        writer.write(b'\0\0\0\0' * 25)
                        counts['blocks'] += 1
                        counts['keepalives'] += 25
                        await writer.drain()
                        await asyncio.sleep(0.25)
                finally:
                    sink.cancel()
            except (OSError, asyncio.IncompleteReadError):
                pass
            counts['dropped'] += 1
            await asyncio.sleep(1)

    class Dht(asyncio.DatagramProtocol):
        def datagram_received(self, data, addr):
            counts['dht_answers'] += 1

    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(Dht, local_addr=('127.0.0.1', 0))

    async def dht():
        tid = 0
        while True:
            for host, port in udp_targets:
                tid = (tid + 1) & 0xffff
                me = os.urandom(20)
                target = rng.choice(torrents).info_hash if rng.random() < 0.5 else os.urandom(20)
                q = rng.choice(['ping', 'find_node', 'get_peers', 'announce_peer'])
                a = {'id': me}
                if q == 'find_node':
                    a['target'] = target
                elif q == 'get_peers':
                    a['info_hash'] = target
                elif q == 'announce_peer':
                    a.update(info_hash=target, port=rng.randrange(1, 65536), token=os.urandom(4))
                transport.sendto(bencode({'t': struct.pack('>H', tid), 'y': 'q', 'q': q, 'a': a}), (host, port))
                counts['dht_queries'] += 1
            await asyncio.sleep(0.05)  # about 20 queries a second per target

    tasks = [asyncio.ensure_future(one(h, p, torrents[i % len(torrents)]))
             for i, (h, p) in enumerate(tcp_targets)] + [asyncio.ensure_future(dht())]
    print('flooding: %d tcp, %d udp targets' % (len(tcp_targets), len(udp_targets)), flush=True)
    await on_term(loop, None).wait()
    for task in tasks:
        task.cancel()
    print('flood: %(connections)d connections (%(dropped)d dropped by the target), %(blocks)d unrequested blocks, '
          '%(keepalives)d keep-alives, %(dht_queries)d DHT queries (%(dht_answers)d answered)' % counts, flush=True)


# ---- libtorrent --------------------------------------------------------------------------------------
def lt_run(seed, data, out, peers, paths):
    import libtorrent as lt
    rng = random.Random(seed)

    def session(up):
        return lt.session({
            'listen_interfaces': '127.0.0.1:0', 'enable_dht': False, 'dht_bootstrap_nodes': '', 'enable_lsd': False,
            'enable_upnp': False, 'enable_natpmp': False, 'allow_multiple_connections_per_ip': True,
            'enable_outgoing_utp': False, 'enable_incoming_utp': False, 'upload_rate_limit': up,
            'out_enc_policy': lt.enc_policy.pe_disabled, 'in_enc_policy': lt.enc_policy.pe_disabled,
            'alert_mask': 0})

    torrents = [Torrent(p) for p in paths]
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    seeder = session(1 << 20)
    for t in torrents:
        seeder.add_torrent({'ti': lt.torrent_info(t.path), 'save_path': data})
    while not all(h.status().is_seeding for h in seeder.get_torrents()) and not stop:
        time.sleep(0.2)
    print('listening: tcp 127.0.0.1:%d' % seeder.listen_port(), flush=True)
    dial = [('127.0.0.1', seeder.listen_port())] + [(h, int(p)) for h, p in (x.rsplit(':', 1) for x in peers if x)]
    downloaders = [session(512 << 10) for _ in range(2)]
    state = [None, None]  # per downloader: (handle, torrent, started, seed_until, round_dir)
    rounds = [0, 0]
    copies = {'ok': 0, 'bad': 0, 'timeouts': 0}
    while not stop:
        for k, ses in enumerate(downloaders):
            now = time.time()
            if state[k] is None:
                t = rng.choice(torrents)
                rounds[k] += 1
                where = os.path.join(out, 'lt-%d' % k, 'r%d' % rounds[k])
                h = ses.add_torrent({'ti': lt.torrent_info(t.path), 'save_path': where})
                state[k] = [h, t, now, None, where, 0]
                continue
            h, t, started, seed_until, where, last_dial = state[k]
            if seed_until is None:
                if h.status().is_seeding:
                    ok = all(open(os.path.join(where, f), 'rb').read() == open(os.path.join(data, f), 'rb').read()
                             for f in t.files)
                    # libtorrent reports seeding once every piece passed its hash, which can be before its disk
                    # threads have written the last blocks: a copy that differs is read again on the next ticks
                    # (up to 10 s) before it counts as different.
                    if not ok and state[k][5] >= 0:
                        state[k][5] = -1
                        state[k].append(now)
                    if not ok and now - state[k][6] < 10:
                        h.flush_cache()
                        continue
                    copies['ok' if ok else 'bad'] += 1
                    print('lt-copy: lt-%d r%d %s %s %.1f s' % (k, rounds[k], t.name, 'identical' if ok else 'DIFFERS',
                                                               now - started), flush=True)
                    state[k][3] = now + rng.uniform(10, 40)
                elif now - started > 600:
                    copies['timeouts'] += 1
                    print('lt-copy: lt-%d r%d %s TIMEOUT' % (k, rounds[k], t.name), flush=True)
                    state[k][3] = now
                elif last_dial >= 0 and now - last_dial > 5:
                    for p in dial:
                        h.connect_peer(p)
                    state[k][5] = now
            elif now >= seed_until:  # leaves the swarm and comes back for another copy
                ses.remove_torrent(h, lt.session.delete_files)
                state[k] = None
        time.sleep(0.5)
    print('lt: %(ok)d copies identical, %(bad)d differ, %(timeouts)d timed out' % copies, flush=True)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'corrupt':
        asyncio.run(corrupt(args))
    elif cmd == 'flood':
        split = lambda s: [(h, int(p)) for h, p in (x.rsplit(':', 1) for x in s.split(',') if x)]
        asyncio.run(flood(int(args[0]), split(args[1]), split(args[2]), args[3:]))
    elif cmd == 'lt':
        lt_run(int(args[0]), args[1], args[2], args[3].split(','), args[4:])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
