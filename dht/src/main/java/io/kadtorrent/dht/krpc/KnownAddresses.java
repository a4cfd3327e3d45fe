package io.kadtorrent.dht.krpc;

import java.net.InetSocketAddress;

/**
 * Address objects the caller already holds, offered to the decoder for the compact node infos of a reply,
 * so that every node naming the same ip:port does not get an address object of its own. A simulation of a
 * million nodes keeps tens of millions of routing-table entries; sharing one address object per node
 * instead of one per entry is most of their weight. The real node has none to offer.
 */
@FunctionalInterface
public interface KnownAddresses {

    /**
     * The held address equal to the compact address (BEP 5: 4 bytes then a big-endian port; BEP 32: 16 then
     * the port) at {@code in[offset..]} of {@code family}, or null to have a new one built.
     */
    InetSocketAddress find(byte[] in, int offset, AddressFamily family);
}
