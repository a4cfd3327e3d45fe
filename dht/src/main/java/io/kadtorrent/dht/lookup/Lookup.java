package io.kadtorrent.dht.lookup;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.routing.Contact;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The iterative Kademlia lookup of BEP 5 as a pure state machine: it says whom to query next
 * (at most alpha in flight, {@link #ALPHA} unless the engine's policy says otherwise; only among
 * the K closest not failed), learns from replies and failures, and is done when the K closest known nodes that did not fail have all answered.
 * It sends nothing itself; the engine drives it. Engine-thread only.
 *
 * <p>Hostile replies (issue 16, item 4): nodes named by only one source are queried at most
 * {@link #MAX_IN_FLIGHT_PER_SOURCE} at a time, so the other slots keep following other sources; and a
 * source whose first {@link #STRIKES_TO_DISCREDIT} referrals timed out or failed while none answered is
 * discredited: the lookup stops waiting for every node only it named, until one of its nodes answers after all.
 */
public final class Lookup {

    public static final int ALPHA = 3; // BEP 5 / Kademlia: parallel queries per lookup
    public static final int K = 8;     // BEP 5: size of the result set
    /** Queries in flight to nodes one source alone named: one, so liars cannot fill the ALPHA slots. */
    static final int MAX_IN_FLIGHT_PER_SOURCE = 1;
    /**
     * Referrals of one source that timed out once or failed, none answering, before its word is dropped.
     * Three, not two: with 30 % of nodes just killed, two dead referrals in a row from an honest source
     * happen often enough (9 %) to cost exactness; three (2.7 %) do not, measurably.
     */
    static final int STRIKES_TO_DISCREDIT = 3;

    /** What became of the nodes one source named. */
    private static final class Source {
        int answered;
        int strikes;
        boolean discredited;
    }

    private final NodeId target;
    private final int alpha;
    private final Candidates candidates;
    // By id, not in the candidates: a candidate may be dropped while in flight. Short lists (about alpha
    // entries each), where a hash set costs more than a scan.
    private final List<NodeId> inFlight = new ArrayList<>();
    private final List<NodeId> stalled = new ArrayList<>();  // timed out once, being retried outside the alpha slots
    private final Map<NodeId, Source> sources = new HashMap<>();
    private List<Contact> askFirst; // seeds the first round asks before the closest; null once it has gone out

    public Lookup(NodeId target, List<Contact> seeds) {
        this(target, seeds, ALPHA);
    }

    /** A lookup keeping up to {@code alpha} queries in flight. */
    public Lookup(NodeId target, List<Contact> seeds, int alpha) {
        if (alpha < 1) {
            throw new IllegalArgumentException("alpha must be at least 1");
        }
        this.alpha = alpha;
        this.target = target;
        this.candidates = new Candidates(target);
        seeds.forEach(s -> candidates.add(s, 0, null));
    }

    /**
     * A lookup whose first round asks {@code askFirst} (seeds among the K closest, e.g. those known to answer fast)
     * before the closest others; from then on it goes by distance alone and ends as any lookup does.
     */
    public Lookup(NodeId target, List<Contact> seeds, int alpha, List<Contact> askFirst) {
        this(target, seeds, alpha);
        this.askFirst = askFirst.isEmpty() ? null : List.copyOf(askFirst);
    }

    public NodeId target() {
        return target;
    }

    /**
     * Contacts to query now; they are marked in flight. A node one source alone named waits while that
     * source already has {@link #MAX_IN_FLIGHT_PER_SOURCE} such queries in flight, and does not take a
     * place among the K closest meanwhile.
     */
    public List<Contact> nextQueries() {
        List<Contact> out = new ArrayList<>(alpha);
        if (askFirst != null) {
            for (Contact first : askFirst) {
                Candidates.Candidate c = candidates.get(first.id());
                if (c != null && c.referrer == null && c.state == Candidates.State.NOT_QUERIED && inFlight.size() < alpha
                        && closeEnough(c)) {
                    c.state = Candidates.State.IN_FLIGHT;
                    addOnce(inFlight, c.contact.id());
                    out.add(c.contact);
                }
            }
            askFirst = null;
        }
        List<NodeId> perSource = inFlightPerSource();
        int seen = 0;
        for (int i = 0; i < candidates.size(); i++) {
            Candidates.Candidate c = candidates.at(i);
            if (c.state == Candidates.State.FAILED) {
                continue;
            }
            if (seen >= K || inFlight.size() >= alpha) {
                break;
            }
            if (c.state == Candidates.State.NOT_QUERIED) {
                if (c.unverified() && Collections.frequency(perSource, c.referrer) >= MAX_IN_FLIGHT_PER_SOURCE) {
                    continue;
                }
                c.state = Candidates.State.IN_FLIGHT;
                addOnce(inFlight, c.contact.id());
                out.add(c.contact);
                if (c.unverified()) {
                    perSource.add(c.referrer);
                }
            }
            seen++;
        }
        return out;
    }

    /** True if {@code c} is among the K closest candidates not failed. */
    private boolean closeEnough(Candidates.Candidate c) {
        int seen = 0;
        for (int i = 0; i < candidates.size() && seen < K; i++) {
            Candidates.Candidate other = candidates.at(i);
            if (other == c) {
                return true;
            }
            seen += other.state == Candidates.State.FAILED ? 0 : 1;
        }
        return false;
    }

    /** The referrer of every unverified node in flight, once per query: a few entries (at most alpha). */
    private List<NodeId> inFlightPerSource() {
        List<NodeId> referrers = new ArrayList<>(alpha);
        for (NodeId id : inFlight) {
            Candidates.Candidate c = candidates.get(id);
            if (c != null && c.unverified()) {
                referrers.add(c.referrer);
            }
        }
        return referrers;
    }

    /** {@code from} answered and told us about {@code nodes} (already sanitised, see {@link ReplyNodes}). */
    public void onResponse(Contact from, List<Contact> nodes) {
        Candidates.Candidate c = settle(from, Candidates.State.RESPONDED);
        if (c != null && c.referrer != null) {
            Source s = sources.computeIfAbsent(c.referrer, r -> new Source());
            s.answered++;
            if (s.discredited) {
                restore(c.referrer, s);
            }
        }
        int depth = c == null ? 0 : c.depth + 1;
        for (Contact n : nodes) {
            candidates.add(n, depth, from.id());
        }
    }

    /**
     * A query to {@code from} timed out once and is being retried: it stops holding one of the
     * ALPHA slots, so one slow or dead node does not stall the lookup.
     */
    public void onStalled(Contact from) {
        if (inFlight.remove(from.id())) {
            addOnce(stalled, from.id());
            strike(candidates.get(from.id()));
        } else if (stalled.contains(from.id())) {
            strike(candidates.get(from.id())); // overdue before: its first timeout is the strike
        }
    }

    /**
     * A query to {@code from} is still unanswered after the measured round-trip timeout, well before a
     * timeout: it stops holding an alpha slot, with no strike against its source yet (the reply may be late).
     */
    public void onOverdue(Contact from) {
        if (inFlight.remove(from.id())) {
            addOnce(stalled, from.id());
        }
    }

    /** {@code from} did not answer (after retries) or answered with an error. */
    public void onFailure(Contact from) {
        strike(settle(from, Candidates.State.FAILED));
    }

    /** True while a query to {@code from} is still wanted (not settled, not given up with its source). */
    public boolean awaits(Contact from) {
        return inFlight.contains(from.id()) || stalled.contains(from.id());
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

    private void strike(Candidates.Candidate c) {
        if (c == null || c.referrer == null || c.struck) {
            return;
        }
        c.struck = true;
        Source s = sources.computeIfAbsent(c.referrer, r -> new Source());
        if (++s.strikes >= STRIKES_TO_DISCREDIT && s.answered == 0 && !s.discredited) {
            s.discredited = true;
            discredit(c.referrer);
        }
    }

    /** Gives up on every node only {@code source} named that has not answered. */
    private void discredit(NodeId source) {
        for (int i = 0; i < candidates.size(); i++) {
            Candidates.Candidate c = candidates.at(i);
            if (source.equals(c.referrer) && c.unverified() && c.state != Candidates.State.FAILED) {
                c.state = Candidates.State.FAILED;
                c.dropped = true;
                inFlight.remove(c.contact.id());
                stalled.remove(c.contact.id());
            }
        }
    }

    /**
     * One of {@code source}'s nodes answered after all: its strikes were an honest node's lost datagrams (three
     * first attempts lost before any answer, about one lookup in 10,000 at 5 % loss), so the nodes dropped with
     * it are candidates again.
     */
    private void restore(NodeId source, Source s) {
        s.discredited = false;
        for (int i = 0; i < candidates.size(); i++) {
            Candidates.Candidate c = candidates.at(i);
            if (c.dropped && source.equals(c.referrer)) {
                c.dropped = false;
                c.state = Candidates.State.NOT_QUERIED;
            }
        }
    }

    /** True when the K closest non-failed candidates have all answered, or nobody is left to ask. */
    public boolean isDone() {
        int seen = 0;
        for (int i = 0; i < candidates.size(); i++) {
            Candidates.Candidate c = candidates.at(i);
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
        for (int i = 0; i < candidates.size(); i++) {
            Candidates.Candidate c = candidates.at(i);
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
        for (int i = 0; i < candidates.size(); i++) {
            Candidates.Candidate c = candidates.at(i);
            if (c.state == Candidates.State.RESPONDED) {
                return c.depth + 1;
            }
        }
        return 0;
    }

    /** Adds {@code id} to one of the short id lists unless there already: they are sets. */
    private static void addOnce(List<NodeId> ids, NodeId id) {
        if (!ids.contains(id)) {
            ids.add(id);
        }
    }

    public int inFlight() {
        return inFlight.size();
    }
}
