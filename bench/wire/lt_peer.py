#!/usr/bin/python3
"""libtorrent (python3-libtorrent) as the reference peer for kadtorrent's interop tests and benchmarks.

  lt_peer.py create DIR OUT.torrent PIECE_BYTES     v1 multi-file torrent of DIR
  lt_peer.py seed   FILE.torrent PARENT PORT        serve PARENT/<name> on 127.0.0.1:PORT until killed
  lt_peer.py get    FILE.torrent PARENT HOST:PORT   download from one peer; prints 'complete: <seconds>'
Loopback only: DHT, LSD, UPnP and NAT-PMP are off. LT_ENCRYPTION=disabled|require|default sets its MSE/PE
policy (default: disabled, plain text).
"""
import os
import sys
import time

import libtorrent as lt


def encryption():
    """LT_ENCRYPTION=disabled (default) | require | default: how this libtorrent peer treats MSE/PE."""
    mode = os.environ.get('LT_ENCRYPTION', 'disabled')
    if mode == 'disabled':
        # plain text, so the benchmarks measure the transfer rather than any handshake retries
        return {'out_enc_policy': lt.enc_policy.pe_disabled, 'in_enc_policy': lt.enc_policy.pe_disabled}
    if mode == 'require':
        # RC4 only, both ways: a peer that will not encrypt is refused
        return {'out_enc_policy': lt.enc_policy.pe_forced, 'in_enc_policy': lt.enc_policy.pe_forced,
                'allowed_enc_level': lt.enc_level.pe_rc4}
    if mode == 'default':
        return {}
    sys.exit('LT_ENCRYPTION must be disabled, require or default: ' + mode)


def session(port):
    settings = {
        'listen_interfaces': '127.0.0.1:%d' % port,
        'enable_dht': False, 'dht_bootstrap_nodes': '', 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
        'allow_multiple_connections_per_ip': True,
        'enable_outgoing_utp': False, 'enable_incoming_utp': False,  # we speak BEP 3 over TCP only
        'alert_mask': lt.alert.category_t.error_notification | lt.alert.category_t.status_notification,
    }
    settings.update(encryption())
    return lt.session(settings)


def create(src, out, piece):
    fs = lt.file_storage()
    lt.add_files(fs, src)
    t = lt.create_torrent(fs, int(piece), flags=lt.create_torrent.v1_only)
    lt.set_piece_hashes(t, os.path.dirname(os.path.abspath(src)))
    with open(out, 'wb') as f:
        f.write(lt.bencode(t.generate()))


def seed(torrent, parent, port, upload_rate=0):
    """Serves until killed; upload capped at upload_rate bytes/s when given (bench/stream)."""
    ses = session(int(port))
    if int(upload_rate):
        ses.apply_settings({'upload_rate_limit': int(upload_rate)})
    info = lt.torrent_info(torrent)
    h = ses.add_torrent({'ti': info, 'save_path': parent})
    deadline = time.time() + 600
    while not h.status().is_seeding and time.time() < deadline:
        time.sleep(0.05)
    if not h.status().is_seeding:
        sys.exit('lt seed: data did not verify')
    print('listening: tcp 127.0.0.1:%d' % ses.listen_port(), flush=True)
    while True:
        time.sleep(1)


def get(torrent, parent, peer, timeout=600):
    ses = session(0)
    info = lt.torrent_info(torrent)
    start = time.time()
    h = ses.add_torrent({'ti': info, 'save_path': parent})
    host, port = peer.rsplit(':', 1)
    h.connect_peer((host, int(port)))
    last_connect = time.time()
    while time.time() - start < timeout:
        s = h.status()
        if s.is_seeding:
            print('complete: %.3f' % (time.time() - start), flush=True)
            return
        if s.num_peers == 0 and time.time() - last_connect > 2:
            h.connect_peer((host, int(port)))
            last_connect = time.time()
        time.sleep(0.01)
    sys.exit('lt get: timed out at %.1f%%' % (100 * h.status().progress))


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    {'create': create, 'seed': seed, 'get': get}[cmd](*args)
