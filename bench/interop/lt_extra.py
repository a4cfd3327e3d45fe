#!/usr/bin/python3
"""libtorrent for the extra interop cells (bench/interop/extra.sh): on 127.0.0.1 or ::1, with a tracker.

  lt_extra.py seed FILE.torrent PARENT HOST [TRACKER]   serve PARENT/<name> on HOST, announcing to TRACKER
  lt_extra.py get  SOURCE PARENT HOST [PEER]            SOURCE: FILE.torrent or a magnet; PEER: HOST:PORT to
                                                        dial (else peers come from the magnet's tr=)
  lt_extra.py pex  FILE.torrent PARENT HOST PEER [SECONDS]
                                                        download, dialling only PEER; succeed once connected to
                                                        any other peer, which only PEER's ut_pex can have named
Loopback only: DHT, LSD, UPnP and NAT-PMP are off. Prints 'listening: tcp HOST:PORT' / 'complete: SECONDS';
a seed also prints 'peer: PEER_ID_PREFIX HOST:PORT' for each peer it sees. LT_RATE_LIMIT=BYTES caps the
upload and download rates; LT_SEED_DIALS=0 keeps a seed from dialling peers (it only accepts).
"""
import os
import sys
import time

import libtorrent as lt


def session(host, extra_alerts=0):
    ses = lt.session({
        'listen_interfaces': ('[%s]:0' % host) if ':' in host else '%s:0' % host,
        'enable_dht': False, 'dht_bootstrap_nodes': '', 'enable_lsd': False, 'enable_upnp': False,
        'enable_natpmp': False, 'allow_multiple_connections_per_ip': True,
        'enable_outgoing_utp': False, 'enable_incoming_utp': False,
        'out_enc_policy': lt.enc_policy.pe_disabled, 'in_enc_policy': lt.enc_policy.pe_disabled,
        'announce_to_all_trackers': True, 'announce_to_all_tiers': True,
        'seeding_outgoing_connections': os.environ.get('LT_SEED_DIALS', '1') == '1',
        'upload_rate_limit': int(os.environ.get('LT_RATE_LIMIT', '0')),
        'download_rate_limit': int(os.environ.get('LT_RATE_LIMIT', '0')),
        'alert_mask': lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
        | extra_alerts,
    })
    if os.environ.get('LT_RATE_LIMIT'):
        # Loopback peers fall in libtorrent's local peer class, which ignores rate limits: put every address
        # in the global class instead, so the limit applies here.
        every = lt.ip_filter()
        every.add_rule('0.0.0.0', '255.255.255.255', 1 << lt.session.global_peer_class_id)
        every.add_rule('::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 1 << lt.session.global_peer_class_id)
        ses.set_peer_class_filter(every)
    return ses


def seed(torrent, parent, host, tracker=None):
    ses = session(host)
    params = {'ti': lt.torrent_info(torrent), 'save_path': parent}
    if tracker:
        params['trackers'] = [tracker]
    h = ses.add_torrent(params)
    end = time.time() + 300
    while not h.status().is_seeding and time.time() < end:
        time.sleep(0.05)
    if not h.status().is_seeding:
        sys.exit('lt seed: data did not verify')
    print('listening: tcp %s:%d' % (host, ses.listen_port()), flush=True)
    seen = set()
    last_announce = time.time()
    while True:
        time.sleep(0.2)
        if tracker and time.time() - last_announce >= 1:
            h.force_reannounce()
            last_announce = time.time()
        for p in h.get_peer_info():
            key = (p.pid.to_bytes()[:8], p.ip)
            if key not in seen and not p.pid.is_all_zeros():  # zero until its handshake is in
                seen.add(key)
                print('peer: %s %s:%d' % (key[0].decode('latin-1'), p.ip[0], p.ip[1]), flush=True)


def get(source, parent, host, peer=None, timeout=300):
    ses = session(host)
    start = time.time()
    if source.startswith('magnet:'):
        params = lt.parse_magnet_uri(source)
        params.save_path = parent
        h = ses.add_torrent(params)
    else:
        h = ses.add_torrent({'ti': lt.torrent_info(source), 'save_path': parent})
    print('listening: tcp %s:%d' % (host, ses.listen_port()), flush=True)
    if peer:
        ph, pp = peer.rsplit(':', 1)
        h.connect_peer((ph.strip('[]'), int(pp)))
    while not h.status().is_seeding:
        if time.time() - start > timeout:
            sys.exit('lt get: not complete after %d s (%s)' % (timeout, h.status().state))
        time.sleep(0.05)
    print('complete: %.3f' % (time.time() - start), flush=True)


def pex(torrent, parent, host, peer, seconds='150'):
    """Another peer than PEER: nothing but PEER's ut_pex can have named it (or named us to it). PEER serves
    slowly, so finishing early means data came from that other peer too (libtorrent to libtorrent moves the
    8 MB in tens of milliseconds, between two polls of the peer list)."""
    ses = session(host, lt.alert.category_t.peer_log_notification | lt.alert.category_t.connect_notification)
    start = time.time()
    h = ses.add_torrent({'ti': lt.torrent_info(torrent), 'save_path': parent})
    ph, pp = peer.rsplit(':', 1)
    given = (ph.strip('[]'), int(pp))
    h.connect_peer(given)

    def learned(how):
        print('learned: %.3f %s' % (time.time() - start, how), flush=True)

    while time.time() - start < float(seconds):
        for a in ses.pop_alerts():
            if isinstance(a, lt.peer_log_alert) and 'PEX' in a.message():  # libtorrent logs each ut_pex it reads
                print('pex: %.1f s %s %s' % (time.time() - start, a.ip, a.message()), flush=True)
            if isinstance(a, lt.peer_connect_alert) and (a.ip[0], a.ip[1]) != given:
                return learned('connecting to %s:%d' % (a.ip[0], a.ip[1]))
        for p in h.get_peer_info():
            if (p.ip[0], p.ip[1]) != given:
                return learned('connected to %s:%d %s source %s' % (p.ip[0], p.ip[1],
                                                                   p.pid.to_bytes()[:8].decode('latin-1'), p.source))
        if h.status().is_seeding:
            return learned('complete, which %s alone could not be yet' % peer)
        time.sleep(0.2)
    sys.exit('lt pex: no peer but %s after %s s; progress %.2f' % (peer, seconds, h.status().progress))


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'seed':
        seed(*args)
    elif cmd == 'get':
        get(*args)
    elif cmd == 'pex':
        pex(*args)
    else:
        sys.exit(__doc__)
