package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A joined network left to run for hours, through the protocol only: every live node starts lookups now and then
 * (get_peers of a random info_hash, some followed by an announce_peer), the engines run their own timers (BEP 5's
 * refresh of buckets idle for 15 minutes, pings of questionable nodes, token rotation, expiry), and with churn on,
 * nodes leave after Mainline-like sessions and a joiner takes each one's place, so the network keeps its size. A
 * node that has been up this long has answered queries from all over the id space and heard of nodes in many
 * replies, which is how its far buckets fill (a join alone fills them to about 2.5 entries).
 *
 * <p>The driver acts between windows: time runs in slots of {@link #SLOT_MILLIS}; at the start of each, the nodes
 * whose sessions ended leave and are replaced, then as many lookups start, from random live nodes, as the rate
 * gives for that slot (the sum of every node's Poisson process of mean gap {@link Options#lookupEveryMillis}).
 * Every draw comes from a stream split off the network's random one when the phase starts, so a seed replays.
 */
public final class SteadyState {

    /** Traffic starts at whole virtual seconds: fine enough for gaps of minutes, few enough driver calls. */
    static final long SLOT_MILLIS = 1_000;
    /** After the last slot, lookups still running get this long to finish (those of nodes that left never do). */
    static final long DRAIN_MILLIS = 60_000;
    /**
     * Session lengths are Weibull with this shape (below 1: most sessions short, a few very long), the shape
     * Stutzbach and Rejaie measured for Kad and BitTorrent peers ("Understanding churn in peer-to-peer networks",
     * 2006: 0.34-0.59); the median is an option.
     */
    static final double SESSION_SHAPE = 0.5; // startSession's residual draw relies on 1 / shape = 2

    /**
     * @param millis              how long the phase runs (virtual)
     * @param lookupEveryMillis   mean gap between one node's lookups
     * @param announceShare       the share of lookups that announce (get_peers, then announce_peer to the closest)
     * @param medianSessionMillis median session length; 0 for no churn
     */
    public record Options(long millis, long lookupEveryMillis, double announceShare, long medianSessionMillis) {

        public Options {
            if (millis < 0 || lookupEveryMillis <= 0 || announceShare < 0 || announceShare > 1 || medianSessionMillis < 0) {
                throw new IllegalArgumentException("bad steady-state options: " + millis + ", " + lookupEveryMillis
                        + ", " + announceShare + ", " + medianSessionMillis);
            }
        }
    }

    /** What the phase did: lookups and announces started, nodes that left (each replaced), datagrams delivered. */
    public record Report(long lookups, long announces, long left, long delivered) {
    }

    private record Session(long endMillis, long order, SimNode node) {
    }

    private final SimulatedDht dht;
    private final SimulatedNetwork net;
    private final Options options;
    private final SplittableRandom random;
    private final List<SimNode> alive;
    private final Map<SimNode, Integer> aliveSlot = new HashMap<>(); // position in alive, for O(1) removal
    private final PriorityQueue<Session> sessions = new PriorityQueue<>((a, b) -> a.endMillis != b.endMillis
            ? Long.compare(a.endMillis, b.endMillis) : Long.compare(a.order, b.order));
    private final AtomicInteger running = new AtomicInteger(); // lookups started and not done (counted on shards)
    private long sessionsDrawn;
    private long lookups;
    private long announces;
    private long left;

    private SteadyState(SimulatedDht dht, Options options) {
        this.dht = dht;
        this.net = dht.network();
        this.options = options;
        this.random = new SplittableRandom(net.random().nextLong());
        this.alive = new ArrayList<>(net.aliveNodes());
        for (int i = 0; i < alive.size(); i++) {
            aliveSlot.put(alive.get(i), i);
        }
    }

    /**
     * The one-off shortcut this phase replaces ({@code -Dscale.settle=B}): after the join, every node looks up a random id in each of its {@code buckets} farthest buckets, in waves of
     * 2 % of the nodes, as BEP 5's refresh of idle buckets would after 15 minutes: a joined node has heard mostly from
     * nodes near its own id, and these lookups' replies fill its far buckets the way a node that has been up a while
     * (and answered many queries) has them filled.
     */
    static void settle(SimulatedDht dht, int buckets) {
        SimulatedNetwork net = dht.network();
        List<SimNode> nodes = net.nodes();
        int wave = Math.max(1, nodes.size() / 50);
        for (int from = 0; from < nodes.size(); from += wave) {
            AtomicInteger pending = new AtomicInteger();
            for (SimNode n : nodes.subList(from, Math.min(nodes.size(), from + wave))) {
                NodeId own = n.engine().ownId();
                for (int b = 0; b < buckets; b++) {
                    NodeId target = NodeId.randomWithPrefix(own.withBitFlipped(b), b + 1, net.random());
                    pending.incrementAndGet();
                    net.act(n, (e, now) -> e.findNode(now, target, r -> pending.decrementAndGet()));
                }
            }
            if (!net.runUntil(() -> pending.get() == 0, SimulatedDht.OPERATION_LIMIT_MILLIS)) {
                throw new IllegalStateException("settling lookups did not finish");
            }
        }
    }

    /** Runs {@code dht} for {@code options.millis()} of virtual time as described above. */
    public static Report run(SimulatedDht dht, Options options) {
        return new SteadyState(dht, options).run();
    }

    private Report run() {
        long delivered0 = net.delivered();
        long start = net.clock().nowMillis();
        if (options.medianSessionMillis() > 0) {
            // The nodes up at the start are part way through their sessions: each gets what is left of one, as a
            // renewal process in its steady state has it (a whole fresh session each would make three times as many
            // leave in the first hour).
            alive.forEach(n -> startSession(n, start, true));
        }
        double due = 0;
        for (long slot = start; slot < start + options.millis(); slot += SLOT_MILLIS) {
            while (!sessions.isEmpty() && sessions.peek().endMillis() <= slot) {
                replace(sessions.poll().node(), slot);
            }
            due += alive.size() * (double) SLOT_MILLIS / options.lookupEveryMillis();
            for (; due >= 1; due--) {
                startLookup(alive.get(random.nextInt(alive.size())));
            }
            net.runFor(Math.min(SLOT_MILLIS, start + options.millis() - slot));
        }
        net.runUntil(() -> running.get() == 0, DRAIN_MILLIS);
        return new Report(lookups, announces, left, net.delivered() - delivered0);
    }

    private void startLookup(SimNode from) {
        InfoHash hash = InfoHash.of(NodeId.random(random).bytes());
        boolean announce = random.nextDouble() < options.announceShare();
        running.incrementAndGet();
        lookups++;
        if (announce) {
            announces++;
            net.act(from, (e, now) -> e.announce(now, hash, 6881, false, n -> running.decrementAndGet()));
        } else {
            net.act(from, (e, now) -> e.getPeers(now, hash, p -> { }, r -> running.decrementAndGet()));
        }
    }

    /**
     * {@code node}'s session ended: it goes silent and a joiner takes its place. Its lookups never finish, so with
     * churn the drain at the end takes all of {@link #DRAIN_MILLIS}.
     */
    private void replace(SimNode node, long nowMillis) {
        net.kill(node);
        int slot = aliveSlot.remove(node);
        SimNode last = alive.remove(alive.size() - 1);
        if (last != node) {
            alive.set(slot, last);
            aliveSlot.put(last, slot);
        }
        left++;
        SimNode joiner = dht.startJoin(n -> { });
        aliveSlot.put(joiner, alive.size());
        alive.add(joiner);
        startSession(joiner, nowMillis, false);
    }

    /**
     * Draws when {@code node} leaves: after a Weibull session, or ({@code residual}) after the rest of one it is part
     * way through, found by length-biased sampling: a node up at a random moment is in a session drawn with weight
     * proportional to its length, and has lived a uniform part of it. For a Weibull X of shape k and scale s,
     * (X / s)^k is Exp(1), and length-biased it is Gamma(1 + 1/k), for k = 1/2 the sum of three Exp(1).
     */
    private void startSession(SimNode node, long nowMillis, boolean residual) {
        double scale = options.medianSessionMillis() / Math.pow(Math.log(2), 1 / SESSION_SHAPE);
        double y = exponential();
        if (residual) {
            y += exponential() + exponential(); // Gamma(3) = Gamma(1 + 1 / SESSION_SHAPE)
        }
        double length = scale * Math.pow(y, 1 / SESSION_SHAPE);
        if (residual) {
            length *= random.nextDouble();
        }
        sessions.add(new Session(nowMillis + (long) Math.min(length, 1e15), sessionsDrawn++, node));
    }

    private double exponential() {
        return -Math.log(1 - random.nextDouble());
    }
}
