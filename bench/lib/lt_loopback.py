"""A libtorrent session (python3-libtorrent) that knows only our own DHT node on a loopback address,
for the interop scripts in bench/dht. Import it with the bench folder's lib on sys.path (see tracker.py)."""
import libtorrent as lt


def loopback_dht_session(host, node_port):
    """A session listening on HOST (any free port) whose DHT joins through HOST:NODE_PORT alone.

    libtorrent keeps loopback and private-range nodes out of its routing table and searches, and
    rate-limits queries from one IP, unless told otherwise; and it must not reach for the internet
    (no bootstrap routers, local service discovery, UPnP or NAT-PMP)."""
    listen = ("[%s]" % host if ":" in host else host) + ":0"
    ses = lt.session({
        "listen_interfaces": listen,
        "enable_dht": True,
        "dht_bootstrap_nodes": "",
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False,
        "dht_block_ratelimit": 100000,
        "dht_upload_rate_limit": 1000000,
        "allow_multiple_connections_per_ip": True,  # every peer of the test is on the same address
        "alert_mask": lt.alert.category_t.all_categories,
    })
    ses.add_dht_node((host, node_port))
    return ses
