package io.kadtorrent.engine.swarm;

/**
 * A connection as the swarm core knows it: an opaque handle the runtime passes in with
 * {@link SwarmCore#peerConnected} and gets back in the core's actions. The core only compares it;
 * the Netty runtime's handle is its {@code PeerConnection}, the simulator's a simulated link.
 */
public interface PeerLink {

    /** True when the bytes on this link are encrypted (MSE with RC4); shown in peer lists, decides nothing. */
    default boolean isEncrypted() {
        return false;
    }
}
