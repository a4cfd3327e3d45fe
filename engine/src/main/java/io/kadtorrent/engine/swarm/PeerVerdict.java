package io.kadtorrent.engine.swarm;

/** How a collaborator of the swarm core drops a peer that misbehaved: the core closes it, and bans it if asked. */
@FunctionalInterface
interface PeerVerdict {

    void drop(PeerState peer, String reason, boolean ban);
}
