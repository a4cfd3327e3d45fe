package io.kadtorrent.dht.lookup;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.routing.Contact;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * The nodes a lookup knows of, ordered by XOR distance to its target, each with its query
 * state. Bounded: beyond {@link #MAX_CANDIDATES} the farthest is forgotten. One entry per id
 * and per ip:port, so one host cannot crowd the set with invented ids.
 */
final class Candidates {

    static final int MAX_CANDIDATES = 128;

    enum State { NOT_QUERIED, IN_FLIGHT, RESPONDED, FAILED }

    static final class Candidate {
        final Contact contact;
        final int depth;
        State state = State.NOT_QUERIED;

        Candidate(Contact contact, int depth) {
            this.contact = contact;
            this.depth = depth;
        }
    }

    final TreeMap<NodeId, Candidate> byDistance;
    private final Set<InetSocketAddress> addresses = new HashSet<>();

    Candidates(NodeId target) {
        this.byDistance = new TreeMap<>(target::compareDistance);
    }

    /** Adds an unseen contact found at {@code depth} hops; false if known or too far to keep. */
    boolean add(Contact c, int depth) {
        if (byDistance.containsKey(c.id()) || !addresses.add(c.address())) {
            return false;
        }
        byDistance.put(c.id(), new Candidate(c, depth));
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
