package io.kadtorrent.engine.swarm;

import java.net.InetSocketAddress;

/**
 * One connected peer as a status display shows it.
 *
 * @param address               the peer's address (for incoming peers, their ephemeral port)
 * @param outgoing              we dialled it
 * @param pieces                pieces it has
 * @param downloadBytesPerSecond recent rate of blocks from it
 * @param uploadBytesPerSecond  recent rate of blocks to it
 * @param choked                we choke it
 * @param chokingUs             it chokes us
 * @param peerId                its 20-byte peer_id from the handshake (names its client, by convention)
 * @param source                how we met it: {@link #GIVEN} by the user, {@link #FOUND} by a peer source
 *                              (the DHT), or {@link #INCOMING}
 * @param encrypted             the connection is RC4-encrypted (MSE)
 */
public record PeerInfo(InetSocketAddress address, boolean outgoing, int pieces, long downloadBytesPerSecond,
                       long uploadBytesPerSecond, boolean choked, boolean chokingUs, byte[] peerId, String source,
                       boolean encrypted) {

    public static final String GIVEN = "given";
    public static final String FOUND = "found";
    public static final String INCOMING = "incoming";

}
