#!/usr/bin/python3
"""A libtorrent swarm on 127.0.0.1: one bootstrap DHT node, optionally one seeder, N downloaders
that find peers through the DHT alone. Prints one JSON object with the time from the downloaders'
start until all of them are complete, and how many payload bytes the downloaders served each
other. Used by bench/swarm/run.sh (libtorrent's half of the side-by-side run) and by the mixed
swarm interop test (libtorrent nodes joining our DHT: pass --bootstrap, and --no-seeder).

Usage: lt_swarm.py --torrent T --out DIR [--seed-data DIR] [--downloaders N] [--bootstrap HOST:PORT]
                   [--timeout S] [--linger S]
"""
import argparse
import json
import warnings
import os
import sys
import time

import libtorrent as lt

warnings.filterwarnings("ignore", category=DeprecationWarning)  # session.status() is all 2.0 offers for DHT size

# DESIGN.md: libtorrent needs these to accept a loopback-only DHT (several nodes per IP, no
# public bootstrap, no local discovery that would find peers without the DHT).
LOOPBACK_SETTINGS = {
    'listen_interfaces': '127.0.0.1:0',
    'enable_dht': True,
    'enable_lsd': False,
    'enable_upnp': False,
    'enable_natpmp': False,
    'dht_bootstrap_nodes': '',
    'dht_restrict_routing_ips': False,
    'dht_restrict_search_ips': False,
    'dht_block_ratelimit': 100000,
    'dht_upload_rate_limit': 1000000,
    'allow_multiple_connections_per_ip': True,
    'alert_mask': 0,
}


def session(bootstrap):
    s = lt.session(LOOPBACK_SETTINGS)
    if bootstrap:
        s.add_dht_node(bootstrap)
    return s


def add(ses, torrent, save_path, seed):
    p = lt.add_torrent_params()
    p.ti = lt.torrent_info(torrent)
    p.save_path = save_path
    if seed:
        p.flags |= lt.torrent_flags.seed_mode  # data is known good: skip the start-up re-hash
    return ses.add_torrent(p)


def wait(predicate, timeout, what, nudge=None):
    deadline = time.time() + timeout
    last_nudge = 0.0
    while not predicate():
        if time.time() > deadline:
            raise SystemExit('timed out waiting for ' + what)
        if nudge and time.time() - last_nudge > 2:
            nudge()
            last_nudge = time.time()
        time.sleep(0.05)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--torrent', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--seed-data')
    ap.add_argument('--no-seeder', action='store_true')
    ap.add_argument('--downloaders', type=int, default=8)
    ap.add_argument('--bootstrap')
    ap.add_argument('--timeout', type=float, default=600)
    ap.add_argument('--linger', type=float, default=0, help='keep seeding this long after all complete')
    a = ap.parse_args()

    boot_session = None
    if a.bootstrap:
        host, port = a.bootstrap.rsplit(':', 1)
        bootstrap = (host, int(port))
    else:
        boot_session = session(None)
        bootstrap = ('127.0.0.1', boot_session.listen_port())
    print('bootstrap: udp %s:%d' % bootstrap, file=sys.stderr, flush=True)

    seeder = None
    if not a.no_seeder:
        seeder_session = session(bootstrap)
        seeder = add(seeder_session, a.torrent, a.seed_data, True)
        wait(lambda: seeder.status().is_seeding, a.timeout, 'the seeder')
        print('listening: tcp 127.0.0.1:%d' % seeder_session.listen_port(), file=sys.stderr, flush=True)
        # announce until the bootstrap node knows it, so downloaders find it through the DHT
        wait(lambda: seeder_session.status().dht_nodes > 0, a.timeout, 'the seeder to join the DHT')
        seeder.force_dht_announce()

    sessions, handles = [], []
    start = time.time()
    for i in range(a.downloaders):
        s = session(bootstrap)
        sessions.append(s)
        handles.append(add(s, a.torrent, os.path.join(a.out, 'lt-%d' % i), False))

    def nudge():
        for h in handles:
            if not h.status().is_seeding:
                h.force_dht_announce()  # libtorrent otherwise waits minutes between DHT lookups
    done_at = {}

    def all_done():
        for i, h in enumerate(handles):
            if i not in done_at and h.status().is_seeding:
                done_at[i] = time.time() - start
        return len(done_at) == len(handles)
    wait(all_done, a.timeout, 'all downloaders', nudge)
    elapsed = time.time() - start

    down = sum(h.status().total_payload_download for h in handles)
    up = sum(h.status().total_payload_upload for h in handles)
    seeder_up = seeder.status().total_payload_upload if seeder else 0
    print(json.dumps({
        'client': 'libtorrent ' + lt.__version__,
        'downloaders': a.downloaders,
        'seconds_until_all_complete': round(elapsed, 3),
        'seconds_each': [round(done_at[i], 3) for i in range(len(handles))],
        'downloaded_bytes': down,
        'downloaders_uploaded_bytes': up,
        'seeder_uploaded_bytes': seeder_up,
        'share_served_by_downloaders': round(up / down, 4) if down else 0,
    }), flush=True)
    if a.linger > 0:
        time.sleep(a.linger)  # keep serving, e.g. to a mixed-swarm partner still downloading


if __name__ == '__main__':
    main()
