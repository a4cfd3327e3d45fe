package io.kadtorrent.metadata.server;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import io.kadtorrent.dht.node.DhtNode;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The server's embedded DHT node first, then up to {@code maxContacts} good contacts from its
 * routing table: a client given this list joins the DHT through us even when we know nobody.
 */
public final class DhtBootstrapNodes implements BootstrapNodes {

    /** BEP 5 example torrents carry a handful of nodes; K = 8 good contacts is plenty. */
    public static final int DEFAULT_CONTACTS = 8;

    private final DhtNode node;
    private final int maxContacts;

    public DhtBootstrapNodes(DhtNode node, int maxContacts) {
        this.node = node;
        this.maxContacts = maxContacts;
    }

    @Override
    public List<HostAndPort> nodesFor(InetAddress serverAddress) {
        Set<HostAndPort> out = new LinkedHashSet<>();
        InetSocketAddress self = node.localAddress();
        // A node bound to 0.0.0.0 is reachable wherever the client reached our TCP socket.
        InetAddress selfHost = self.getAddress().isAnyLocalAddress() ? serverAddress : self.getAddress();
        out.add(HostAndPort.fromParts(InetAddresses.toAddrString(selfHost), self.getPort()));
        for (InetSocketAddress c : node.contacts(maxContacts)) {
            out.add(HostAndPort.fromParts(InetAddresses.toAddrString(c.getAddress()), c.getPort()));
        }
        return new ArrayList<>(out);
    }
}
