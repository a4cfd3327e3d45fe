#!/usr/bin/python3
"""libtorrent for the extra interop cells (bench/interop/extra.sh): on 127.0.0.1 or ::1, with a tracker.

  lt_extra.py seed FILE.torrent PARENT HOST [TRACKER]   serve PARENT/<name> on HOST, announcing to TRACKER
  lt_extra.py get  SOURCE PARENT HOST [PEER]            SOURCE: FILE.torrent or a magnet; PEER: HOST:PORT to
                                                        dial (else peers come from the magnet's tr=)
Loopback only: DHT, LSD, UPnP and NAT-PMP are off. Prints 'listening: tcp HOST:PORT' / 'complete: SECONDS'.
"""
import os
import sys
import time

import libtorrent as lt


def session(host):
    ses = lt.session({
        'listen_interfaces': ('[%s]:0' % host) if ':' in host else '%s:0' % host,
        'enable_dht': False, 'dht_bootstrap_nodes': '', 'enable_lsd': False, 'enable_upnp': False,
        'enable_natpmp': False, 'allow_multiple_connections_per_ip': True,
        'enable_outgoing_utp': False, 'enable_incoming_utp': False,
        'out_enc_policy': lt.enc_policy.pe_disabled, 'in_enc_policy': lt.enc_policy.pe_disabled,
        'announce_to_all_trackers': True, 'announce_to_all_tiers': True,
        'alert_mask': lt.alert.category_t.error_notification | lt.alert.category_t.status_notification,
    })
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
    while True:
        time.sleep(1)
        if tracker:
            h.force_reannounce()


def get(source, parent, host, peer=None, timeout=300):
    ses = session(host)
    start = time.time()
    if source.startswith('magnet:'):
        params = lt.parse_magnet_uri(source)
        params.save_path = parent
        h = ses.add_torrent(params)
    else:
        h = ses.add_torrent({'ti': lt.torrent_info(source), 'save_path': parent})
    if peer:
        ph, pp = peer.rsplit(':', 1)
        h.connect_peer((ph.strip('[]'), int(pp)))
    while not h.status().is_seeding:
        if time.time() - start > timeout:
            sys.exit('lt get: not complete after %d s (%s)' % (timeout, h.status().state))
        time.sleep(0.05)
    print('complete: %.3f' % (time.time() - start), flush=True)


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'seed':
        seed(*args)
    elif cmd == 'get':
        get(*args)
    else:
        sys.exit(__doc__)
