package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.routing.RoutingTable;
import io.kadtorrent.dht.rpc.QueryCallback;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Bucket maintenance by ping. BEP 5's: when a newcomer finds its bucket full, ping the least recently seen
 * questionable node there; a reply keeps it, repeated silence makes it bad so the replacement cache takes its place
 * (at most {@link #MAX_IN_FLIGHT} such pings at once). And filling buckets that have room: a node that queried us
 * without having answered us, or that a lookup reply named, is pinged to verify it, and enters the table as good
 * when it answers ({@link #verify}); one that stays silent is dropped if it was stored unverified.
 *
 * <p>Verification pings go to addresses we only heard of, which a spoofer can choose, so they are bounded: at most
 * {@link #MAX_VERIFYING} in flight, a token bucket of {@link #VERIFY_PER_SECOND} a second (burst
 * {@link #VERIFY_BURST}), one at a time per address, and one attempt each. A flood of forged queries therefore makes
 * us send at most 10 small pings a second in all, whatever the number of addresses it forges.
 */
final class TablePinger {

    static final int MAX_IN_FLIGHT = 16;
    static final int MAX_VERIFYING = 32;
    static final double VERIFY_PER_SECOND = 10;
    static final double VERIFY_BURST = 64;
    /** Of the nodes one lookup reply names, at most this many are pinged (those whose bucket has room). */
    static final int MAX_NAMED_PER_REPLY = 4;

    private final RoutingTable table;
    private final QuerySender queries;
    private final Set<NodeId> inFlight = new HashSet<>();
    private Set<InetSocketAddress> verifying; // created on first use: a K = 8 table in a simulation never verifies
    private double verifyTokens = VERIFY_BURST;
    private long verifyRefilledMillis = Long.MIN_VALUE;
    private long verificationPings;

    TablePinger(RoutingTable table, QuerySender queries) {
        this.table = table;
        this.queries = queries;
    }

    void pingQuestionable(long nowMillis, NodeId newcomer) {
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            return;
        }
        table.questionableToPing(newcomer, nowMillis).ifPresent(c -> ping(nowMillis, c));
    }

    private void ping(long nowMillis, Contact c) {
        if (!inFlight.add(c.id())) {
            return;
        }
        boolean sent = queries.send(nowMillis, c.address(), tid -> new KrpcQuery.Ping(tid, table.ownId(), false),
                new QueryCallback() {
                    @Override
                    public void onResponse(KrpcResponse response, long now) {
                        inFlight.remove(c.id()); // the engine already recorded the reply
                    }

                    @Override
                    public void onError(KrpcError error, long now) {
                        inFlight.remove(c.id());
                    }

                    @Override
                    public boolean onRetry(long now) {
                        return false; // each silence counts as one failure; the next newcomer pings again
                    }

                    @Override
                    public void onTimeout(long now) {
                        inFlight.remove(c.id());
                        table.recordFailure(c);
                    }
                });
        if (!sent) {
            inFlight.remove(c.id());
        }
    }

    /**
     * Of the nodes a lookup reply named, pings up to {@link #MAX_NAMED_PER_REPLY} that would enter a bucket with
     * room, so that ordinary lookups fill the table (libtorrent does the like).
     */
    void verifyNamed(long nowMillis, List<Contact> named) {
        int pinged = 0;
        for (int i = 0; i < named.size() && pinged < MAX_NAMED_PER_REPLY; i++) {
            Contact c = named.get(i);
            if (table.hasRoomFor(c)) {
                if (!verify(nowMillis, c)) {
                    return; // out of tokens or slots: the others would be refused too
                }
                pinged++;
            }
        }
    }

    /**
     * Pings {@code c}, a node we have not heard answer: its reply enters it into the table as good (the engine records
     * every reply); silence or a reply under another id drops it if it was stored unverified. False if no ping was
     * sent (rate limit, slots, or one already in flight to that address).
     */
    boolean verify(long nowMillis, Contact c) {
        if (verifying == null) {
            verifying = new HashSet<>();
        }
        if (verifying.size() >= MAX_VERIFYING || verifying.contains(c.address()) || !takeVerifyToken(nowMillis)) {
            return false;
        }
        verifying.add(c.address());
        boolean sent = queries.send(nowMillis, c.address(), tid -> new KrpcQuery.Ping(tid, table.ownId(), false),
                new QueryCallback() {
                    @Override
                    public void onResponse(KrpcResponse response, long now) {
                        settled(c);
                        if (!response.sender().equals(c.id())) {
                            table.dropUnverified(c); // another node lives there; the engine recorded that one
                        }
                    }

                    @Override
                    public void onError(KrpcError error, long now) {
                        settled(c);
                        table.dropUnverified(c);
                    }

                    @Override
                    public boolean onRetry(long now) {
                        return false; // one attempt: a node that wants in will query us again
                    }

                    @Override
                    public void onTimeout(long now) {
                        settled(c);
                        table.dropUnverified(c);
                    }
                });
        if (!sent) {
            settled(c);
            return false;
        }
        verificationPings++;
        return true;
    }

    private void settled(Contact c) {
        verifying.remove(c.address());
        if (verifying.isEmpty()) {
            verifying = null; // most simulated nodes are idle most of the time: hold nothing for them
        }
    }

    private boolean takeVerifyToken(long nowMillis) {
        if (verifyRefilledMillis != Long.MIN_VALUE) {
            long elapsed = Math.max(0, nowMillis - verifyRefilledMillis);
            verifyTokens = Math.min(VERIFY_BURST, verifyTokens + elapsed * VERIFY_PER_SECOND / 1000.0);
        }
        verifyRefilledMillis = nowMillis;
        if (verifyTokens < 1) {
            return false;
        }
        verifyTokens -= 1;
        return true;
    }

    /** Verification pings sent so far. */
    long verificationPings() {
        return verificationPings;
    }
}
