package io.kadtorrent.dht.lookup;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.routing.Contact;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * The nodes a lookup knows of, ordered by XOR distance to its target, each with its query
 * state and the node that told us of it. Bounded: beyond {@link #MAX_CANDIDATES} the farthest is
 * forgotten. One entry per id and per ip:port, so one host cannot crowd the set with invented ids.
 */
final class Candidates {

    static final int MAX_CANDIDATES = 128;

    enum State { NOT_QUERIED, IN_FLIGHT, RESPONDED, FAILED }

    static final class Candidate {
        final Contact contact;
        final int depth;
        /** Who first named this node; null for a seed from our own routing table. */
        final NodeId referrer;
        /** A seed, or named by a second node at the same address: not one source's word alone. */
        boolean confirmed;
        /** Already counted against its referrer (a timeout or failure counts once). */
        boolean struck;
        /** Failed with its discredited referrer, not by its own silence: back if the referrer proves honest. */
        boolean dropped;
        State state = State.NOT_QUERIED;

        Candidate(Contact contact, int depth, NodeId referrer) {
            this.contact = contact;
            this.depth = depth;
            this.referrer = referrer;
            this.confirmed = referrer == null;
        }

        /** Only {@link #referrer} vouches for it, and it has not answered yet. */
        boolean unverified() {
            return !confirmed && state != State.RESPONDED;
        }
    }

    final TreeMap<NodeId, Candidate> byDistance;
    private final Set<InetSocketAddress> addresses = new HashSet<>();

    Candidates(NodeId target) {
        this.byDistance = new TreeMap<>(target::compareDistance);
    }

    /**
     * Adds an unseen contact found at {@code depth} hops through {@code referrer} (null for a seed);
     * false if known or too far to keep. A known one named again by another node is confirmed.
     */
    boolean add(Contact c, int depth, NodeId referrer) {
        Candidate known = byDistance.get(c.id());
        if (known != null) {
            if (referrer != null && !referrer.equals(known.referrer) && known.contact.address().equals(c.address())) {
                known.confirmed = true;
            }
            return false;
        }
        if (!addresses.add(c.address())) {
            return false;
        }
        byDistance.put(c.id(), new Candidate(c, depth, referrer));
        if (byDistance.size() > MAX_CANDIDATES) {
            Candidate dropped = byDistance.pollLastEntry().getValue();
            addresses.remove(dropped.contact.address());
            return !dropped.contact.id().equals(c.id());
        }
        return true;
    }

    Candidate get(NodeId id) {
        return byDistance.get(id);
    }
}
