#!/usr/bin/python3
"""libtorrent as the reference for time-to-first-byte of a stream (kadtorrent bench/stream).

  lt_stream.py seed FILE.torrent PARENT RATE          serve PARENT/<name> on 127.0.0.1 (any port), upload
                                                      capped at RATE bytes/s, until killed
  lt_stream.py read FILE.torrent PARENT HOST:PORT NAME SEEK
                                                      download from one peer with piece deadlines the way a
                                                      player would: the first bytes of file NAME, then a seek
                                                      to SEEK (0..1) of it; prints 'first: S' and 'seek: S'
Loopback only: DHT, LSD, UPnP and NAT-PMP are off.
"""
import os
import sys
import time

import libtorrent as lt

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'wire'))
import lt_peer  # noqa: E402

WINDOW = 8 << 20  # ask for the next 8 MiB, as kadtorrent's stream does


def seed(torrent, parent, rate):
    lt_peer.seed(torrent, parent, 0, rate)


def wait_piece(h, piece, limit=300):
    end = time.time() + limit
    while not h.have_piece(piece):
        if time.time() > end:
            sys.exit('lt read: piece %d never arrived' % piece)
        time.sleep(0.002)


def ask(h, info, offset, end_offset):
    """Deadlines for the window from offset: the first piece now, the next ones soon after."""
    first = offset // info.piece_length()
    last = min(end_offset, offset + WINDOW) // info.piece_length()
    for k, p in enumerate(range(first, last + 1)):
        h.set_piece_deadline(p, 100 * k)
    return first


def read(torrent, parent, peer, name, seek):
    info = lt.torrent_info(torrent)
    files = info.files()
    index = next(i for i in range(files.num_files()) if files.file_path(i).endswith(name))
    start, size = files.file_offset(index), files.file_size(index)
    ses = lt_peer.session(0)
    t0 = time.time()
    h = ses.add_torrent({'ti': info, 'save_path': parent})
    host, port = peer.rsplit(':', 1)
    h.connect_peer((host, int(port)))
    piece = ask(h, info, start, start + size - 1)
    wait_piece(h, piece)
    print('first: %.3f' % (time.time() - t0), flush=True)
    target = start + int(size * float(seek))
    t1 = time.time()
    piece = ask(h, info, target, start + size - 1)
    wait_piece(h, piece)
    print('seek: %.3f' % (time.time() - t1), flush=True)


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'seed':
        seed(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == 'read':
        read(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6])
    else:
        sys.exit(__doc__)
