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
 */
public record PeerInfo(InetSocketAddress address, boolean outgoing, int pieces, long downloadBytesPerSecond,
                       long uploadBytesPerSecond, boolean choked, boolean chokingUs) {
}
