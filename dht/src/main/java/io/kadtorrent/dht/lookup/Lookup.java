package io.kadtorrent.dht.lookup;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.routing.Contact;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The iterative Kademlia lookup of BEP 5 as a pure state machine: it says whom to query next
 * (at most {@link #ALPHA} in flight, only among the K closest not failed), learns from replies
 * and failures, and is done when the K closest known nodes that did not fail have all answered.
 * It sends nothing itself; the engine drives it. Engine-thread only.
 */
public final class Lookup {

    public static final int ALPHA = 3; // BEP 5 / Kademlia: parallel queries per lookup
    public static final int K = 8;     // BEP 5: size of the result set

    private final NodeId target;
    private final Candidates candidates;
    private final Set<NodeId> inFlight = new HashSet<>(); // by id: a candidate may be dropped while in flight
    private final Set<NodeId> stalled = new HashSet<>();  // timed out once, being retried outside the alpha slots

    public Lookup(NodeId target, List<Contact> seeds) {
        this.target = target;
        this.candidates = new Candidates(target);
        seeds.forEach(s -> candidates.add(s, 0));
    }

    public NodeId target() {
        return target;
    }

    /** Contacts to query now; they are marked in flight. */
    public List<Contact> nextQueries() {
        List<Contact> out = new ArrayList<>(ALPHA);
        int seen = 0;
        for (Candidates.Candidate c : candidates.byDistance.values()) {
            if (c.state == Candidates.State.FAILED) {
                continue;
            }
            if (seen++ >= K || inFlight.size() >= ALPHA) {
                break;
            }
            if (c.state == Candidates.State.NOT_QUERIED) {
                c.state = Candidates.State.IN_FLIGHT;
                inFlight.add(c.contact.id());
                out.add(c.contact);
            }
        }
        return out;
    }

    /** {@code from} answered and told us about {@code nodes}. */
    public void onResponse(Contact from, List<Contact> nodes) {
        Candidates.Candidate c = settle(from, Candidates.State.RESPONDED);
        int depth = c == null ? 0 : c.depth + 1;
        for (Contact n : nodes) {
            candidates.add(n, depth);
        }
    }

    /**
     * A query to {@code from} timed out once and is being retried: it stops holding one of the
     * ALPHA slots, so one slow or dead node does not stall the lookup.
     */
    public void onStalled(Contact from) {
        if (inFlight.remove(from.id())) {
            stalled.add(from.id());
        }
    }

    /** {@code from} did not answer (after retries) or answered with an error. */
    public void onFailure(Contact from) {
        settle(from, Candidates.State.FAILED);
    }

    private Candidates.Candidate settle(Contact from, Candidates.State state) {
        if (!inFlight.remove(from.id()) && !stalled.remove(from.id())) {
            return null;
        }
        Candidates.Candidate c = candidates.get(from.id());
        if (c != null && c.state == Candidates.State.IN_FLIGHT) {
            c.state = state;
            return c;
        }
        return null;
    }

    /** True when the K closest non-failed candidates have all answered, or nobody is left to ask. */
    public boolean isDone() {
        int seen = 0;
        for (Candidates.Candidate c : candidates.byDistance.values()) {
            if (c.state == Candidates.State.FAILED) {
                continue;
            }
            if (seen++ >= K) {
                break;
            }
            if (c.state != Candidates.State.RESPONDED) {
                return false;
            }
        }
        return true;
    }

    /** Up to K answered contacts, closest first. */
    public List<Contact> closestResponded() {
        List<Contact> out = new ArrayList<>(K);
        for (Candidates.Candidate c : candidates.byDistance.values()) {
            if (c.state == Candidates.State.RESPONDED) {
                out.add(c.contact);
                if (out.size() == K) {
                    break;
                }
            }
        }
        return out;
    }

    /** Query rounds needed to reach the closest answering node (its discovery depth + 1), 0 if none. */
    public int hops() {
        for (Candidates.Candidate c : candidates.byDistance.values()) {
            if (c.state == Candidates.State.RESPONDED) {
                return c.depth + 1;
            }
        }
        return 0;
    }

    public int inFlight() {
        return inFlight.size();
    }
}
