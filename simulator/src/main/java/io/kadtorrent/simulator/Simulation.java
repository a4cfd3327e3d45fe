package io.kadtorrent.simulator;

import io.kadtorrent.dht.engine.EngineStats;
import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.sim.SimNode;
import io.kadtorrent.dht.sim.SimulatedDht;
import io.kadtorrent.dht.sim.SimulatedNetwork;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One run of the DHT simulator for people learning how Kademlia behaves: {@code nodes} real engines join
 * through the protocol, make {@code lookups} find_node lookups that are checked against the true K closest,
 * a seed node announces torrents, then nodes leave and new ones join in steps while lookups and get_peers
 * go on. Everything runs in virtual time on the calling thread; the same options give the same results.
 */
public final class Simulation {

    static final int K = 8; // BEP 5 bucket size: a lookup returns the K closest nodes
    static final int CONCURRENT_LOOKUPS = 50; // lookups in flight at once: keeps virtual time (and bucket refreshes) short
    static final long CHURN_STEP_MILLIS = 60_000; // virtual time between churn steps
    static final long OPERATION_LIMIT_MILLIS = 10 * 60_000L; // virtual; a lookup takes seconds
    static final int STORED_ON = 16; // an announce counts as stored while one of the 16 live nodes closest to it holds it
    private static final int SEED_PORT = 6881;

    private final SimulationOptions options;
    private final Consumer<String> progress;
    private SimulatedDht dht;
    private SimNode seedNode;
    private final List<InfoHash> torrents = new ArrayList<>();

    private Simulation(SimulationOptions options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    /** Runs {@code options}, telling {@code progress} a line at each phase (wall-clock figures only appear there). */
    public static SimulationResults run(SimulationOptions options, Consumer<String> progress) {
        return new Simulation(options, progress).run();
    }

    private SimulationResults run() {
        long t0 = System.nanoTime();
        join();
        progress.accept(String.format(Locale.ROOT, "joined: %,d nodes (%s)", options.nodes(), seconds(t0)));
        long t1 = System.nanoTime();
        Lookups stable = lookups(options.lookups(), true);
        progress.accept(String.format(Locale.ROOT, "lookups: %,d (%s)", options.lookups(), seconds(t1)));
        Distribution contacts = contactsPerNode();
        double[] byDepth = contactsByDepth();
        announce();
        List<SimulationResults.ChurnPoint> churn = new ArrayList<>();
        churn.add(new SimulationResults.ChurnPoint(0, stable.count, stable.exact, torrentsFound(), torrentsStored()));
        if (options.churn() > 0) {
            long t2 = System.nanoTime();
            churn(churn);
            progress.accept(String.format(Locale.ROOT, "churn: %,d nodes replaced in %d steps (%s)",
                    churn.get(churn.size() - 1).replaced(), options.churnSteps(), seconds(t2)));
        }
        SimulatedNetwork net = dht.network();
        return new SimulationResults(options, Distribution.of(stable.hops), Distribution.of(stable.millis),
                Distribution.of(stable.messages), stable.exact, contacts, byDepth, churn, messagesPerNode(),
                net.delivered(), net.lost(), net.clock().nowMillis(), net.traceDigest());
    }

    /** "12.3 s wall, 456 s virtual": wall seconds since {@code since}, virtual seconds so far. */
    private String seconds(long since) {
        return String.format(Locale.ROOT, "%.1f s wall, %.0f s virtual so far", (System.nanoTime() - since) / 1e9,
                dht.network().clock().nowMillis() / 1000.0);
    }

    /** The network grows in concurrent waves of up to 2 % of its final size, each joiner through a random member. */
    private void join() {
        dht = SimulatedDht.empty(options.seed(), options.link());
        SimulatedNetwork net = dht.network();
        seedNode = net.addNode();
        int maxWave = Math.max(1, options.nodes() / 50);
        int reported = 0;
        while (net.nodes().size() < options.nodes()) {
            int joined = net.nodes().size();
            dht.joinWave(Math.min(Math.min(maxWave, joined), options.nodes() - joined));
            if (net.nodes().size() * 10L / options.nodes() > reported) {
                reported = (int) (net.nodes().size() * 10L / options.nodes());
                progress.accept(String.format(Locale.ROOT, "joining: %,d of %,d nodes", net.nodes().size(), options.nodes()));
            }
        }
    }

    /** Hops, latency and messages of a batch of lookups, and how many were exact. */
    private static final class Lookups {
        final int[] hops;
        final int[] millis;
        final int[] messages;
        int count;
        int exact;

        Lookups(int n) {
            hops = new int[n];
            millis = new int[n];
            messages = new int[n];
        }
    }

    /** {@code count} find_node lookups of random targets from random live nodes, {@link #CONCURRENT_LOOKUPS} at a time. */
    private Lookups lookups(int count, boolean report) {
        List<SimNode> alive = dht.network().aliveNodes();
        Lookups out = new Lookups(count);
        int nextReport = count / 4;
        while (out.count < count) {
            int batch = Math.min(CONCURRENT_LOOKUPS, count - out.count);
            for (SimulatedDht.TimedLookup l : dht.randomLookups(alive, batch)) {
                out.hops[out.count] = l.result().hops();
                out.messages[out.count] = l.result().queriesSent();
                out.millis[out.count] = (int) l.millis();
                out.exact += l.exact() ? 1 : 0;
                out.count++;
            }
            if (report && nextReport > 0 && out.count >= nextReport && out.count < count) {
                progress.accept(String.format(Locale.ROOT, "lookups: %,d of %,d", out.count, count));
                nextReport += count / 4;
            }
        }
        return out;
    }

    /** The seed node announces itself for {@code torrents} random info hashes. */
    private void announce() {
        SimulatedNetwork net = dht.network();
        for (int i = 0; i < options.torrents(); i++) {
            InfoHash hash = InfoHash.of(NodeId.random(net.random()).bytes());
            dht.announce(seedNode, hash, SEED_PORT);
            torrents.add(hash);
        }
    }

    private InetSocketAddress seedPeer() {
        return new InetSocketAddress(seedNode.address().getAddress(), SEED_PORT);
    }

    /**
     * Torrents whose get_peers, each from a random live node other than the seed, finds the seed; the lookups
     * run at once, {@link #CONCURRENT_LOOKUPS} at a time.
     */
    private int torrentsFound() {
        SimulatedNetwork net = dht.network();
        List<SimNode> alive = new ArrayList<>(net.aliveNodes());
        alive.remove(seedNode);
        if (alive.isEmpty()) {
            return 0;
        }
        AtomicInteger found = new AtomicInteger();
        for (int done = 0; done < torrents.size(); ) {
            int batch = Math.min(CONCURRENT_LOOKUPS, torrents.size() - done);
            AtomicInteger pending = new AtomicInteger(batch);
            for (InfoHash hash : torrents.subList(done, done + batch)) {
                SimNode searcher = alive.get(net.random().nextInt(alive.size()));
                net.act(searcher, (e, now) -> e.getPeers(now, hash, p -> { }, r -> {
                    found.addAndGet(r.peers().contains(seedPeer()) ? 1 : 0);
                    pending.decrementAndGet();
                }));
            }
            if (!net.runUntil(() -> pending.get() == 0, OPERATION_LIMIT_MILLIS)) {
                throw new IllegalStateException("get_peers did not finish (seed " + options.seed() + ")");
            }
            done += batch;
        }
        return found.get();
    }

    /** Torrents the seed's address is still stored for on one of the live nodes closest to them. */
    private int torrentsStored() {
        long now = dht.network().clock().nowMillis();
        int stored = 0;
        for (InfoHash hash : torrents) {
            boolean held = false;
            for (SimNode holder : dht.trueClosestNodes(NodeId.of(hash), STORED_ON)) {
                held |= holder.engine().peerStore().values(hash, now).contains(seedPeer());
            }
            stored += held ? 1 : 0;
        }
        return stored;
    }

    /** At each step, a share of the live nodes (never the seed) leave, as many new ones join, lookups run a minute later. */
    private void churn(List<SimulationResults.ChurnPoint> points) {
        SimulatedNetwork net = dht.network();
        int perStep = options.nodesPerChurnStep();
        int replaced = 0;
        for (int step = 1; step <= options.churnSteps(); step++) {
            List<SimNode> candidates = new ArrayList<>(net.aliveNodes());
            candidates.remove(seedNode);
            int leaving = Math.min(perStep, candidates.size());
            for (int i = 0; i < leaving; i++) {
                net.kill(candidates.remove(net.random().nextInt(candidates.size())));
            }
            if (leaving > 0) {
                dht.joinWave(leaving);
            }
            replaced += leaving;
            net.runFor(CHURN_STEP_MILLIS);
            Lookups after = lookups(options.lookupsPerChurnStep(), false);
            points.add(new SimulationResults.ChurnPoint(replaced, after.count, after.exact, torrentsFound(), torrentsStored()));
            progress.accept(String.format(Locale.ROOT, "churn step %d of %d: %,d nodes replaced, %.1f %% exact",
                    step, options.churnSteps(), replaced, points.get(points.size() - 1).exactPercent()));
        }
    }

    private Distribution contactsPerNode() {
        List<SimNode> alive = dht.network().aliveNodes();
        int[] counts = new int[alive.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = alive.get(i).engine().routingTable().size();
        }
        return Distribution.of(counts);
    }

    /** Mean contacts per live node by the number of leading id bits they share with it (its bucket's depth). */
    private double[] contactsByDepth() {
        long[] sums = new long[NodeId.BITS + 1];
        int deepest = 0;
        List<SimNode> alive = dht.network().aliveNodes();
        for (SimNode node : alive) {
            NodeId own = node.engine().ownId();
            for (Contact c : node.engine().routingTable().contacts()) {
                int depth = own.commonPrefixLength(c.id());
                sums[depth]++;
                deepest = Math.max(deepest, depth);
            }
        }
        double[] means = new double[deepest + 1];
        for (int d = 0; d <= deepest; d++) {
            means[d] = (double) sums[d] / alive.size();
        }
        return means;
    }

    /** Datagrams each node that ever joined sent and received: queries, answers and errors. */
    private Distribution messagesPerNode() {
        List<SimNode> all = dht.network().nodes();
        long[] counts = new long[all.size()];
        for (int i = 0; i < counts.length; i++) {
            EngineStats.Snapshot s = all.get(i).engine().stats();
            counts[i] = s.datagramsReceived() + s.queriesSent() + s.queriesAnswered() + s.errorsSent();
        }
        return Distribution.of(counts);
    }
}
