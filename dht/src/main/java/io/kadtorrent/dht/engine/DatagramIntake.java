package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.krpc.KnownNodes;
import io.kadtorrent.dht.krpc.KrpcCodec;
import io.kadtorrent.dht.krpc.KrpcDecodeException;
import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcMessage;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.routing.InsertResult;
import io.kadtorrent.dht.routing.RoutingTable;
import io.kadtorrent.dht.rpc.QueryCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The receiving edge of a {@link DhtEngine}: decodes each datagram, then hands a query (rate-limited) to the
 * {@link QueryResponder} or a reply to the callback of the query it matches, recording the sender in the routing
 * table either way. Malformed or unexpected datagrams are dropped and counted, never thrown. Engine-thread only.
 */
final class DatagramIntake {

    private static final Logger log = LoggerFactory.getLogger(DatagramIntake.class);

    private final AddressFamily family;
    private final Transport transport;
    private final RoutingTable table;
    private final OutgoingQueries queries;
    private final QueryResponder responder;
    private final TablePinger pinger;
    private final EngineStats stats;
    private final BooleanSupplier readOnly; // BEP 43: the engine answers no queries
    private final AddressRateLimit rateLimit = new AddressRateLimit();
    private KnownNodes knownNodes = KnownNodes.NONE;

    DatagramIntake(EngineParts parts, Transport transport, QueryResponder responder, EngineStats stats) {
        this.family = parts.family();
        this.table = parts.table();
        this.queries = parts.queries();
        this.pinger = parts.pinger();
        this.readOnly = parts.readOnly();
        this.transport = transport;
        this.responder = responder;
        this.stats = stats;
    }

    /** See {@link DhtEngine#shareDecodedNodes}. */
    void shareDecodedNodes(KnownNodes known) {
        this.knownNodes = known;
    }

    /** Handles one received datagram; malformed or unexpected ones are dropped and counted, never thrown. */
    void onDatagram(long nowMillis, InetSocketAddress from, byte[] datagram) {
        stats.datagramsReceived++;
        if (AddressFamily.of(from.getAddress()) != family) {
            stats.malformedDropped++; // a datagram of the other DHT (e.g. IPv4 on a dual-stack socket)
            return;
        }
        KrpcMessage message;
        try {
            message = KrpcCodec.decode(datagram, knownNodes);
        } catch (KrpcDecodeException e) {
            stats.malformedDropped++;
            log.debug("dropped malformed datagram from {}: {}", from, e.getMessage());
            if (e.wasQuery() && e.transactionId().isPresent() && rateLimit.tryAcquire(from, true, nowMillis)) {
                reply(from, new KrpcError(e.transactionId().get(), e.code(), e.getMessage()));
                stats.errorsSent++;
            }
            return;
        } catch (RuntimeException e) { // the edge: no datagram may take the node down
            stats.malformedDropped++;
            log.warn("dropped datagram from {} that broke the decoder: {}", from, e.toString());
            return;
        }
        if (message instanceof KrpcQuery q) {
            onQuery(nowMillis, q, from);
        } else {
            onReply(nowMillis, message, from);
        }
    }

    private void onQuery(long nowMillis, KrpcQuery q, InetSocketAddress from) {
        if (readOnly.getAsBoolean()) {
            log.debug("read-only (BEP 43): not answering {} from {}", q.method(), from);
            return;
        }
        Contact c = new Contact(q.sender(), from);
        boolean stranger = !table.hasAnswered(c);
        if (!rateLimit.tryAcquire(from, stranger, nowMillis)) {
            stats.rateLimitedDropped++;
            return;
        }
        InsertResult inserted = q.readOnly() ? InsertResult.REJECTED // BEP 43: read-only nodes never enter tables
                : table.recordQuery(c, nowMillis);
        if (inserted == InsertResult.CACHED) {
            pinger.pingQuestionable(nowMillis, c.id());
        }
        reply(from, responder.answer(q, from, nowMillis));
        stats.queriesAnswered++;
        // BEP 5 verifies a questionable node when a newcomer finds its bucket full; a bucket wider than K may never
        // fill, so there a querier is pinged at once: its answer makes it good (or, beyond K, brings it in), its
        // silence drops it. K = 8 buckets keep BEP 5's way alone.
        if (inserted == InsertResult.VERIFY_FIRST || stranger && table.isWideBucketFor(c.id())
                && (inserted == InsertResult.INSERTED || inserted == InsertResult.UPDATED)) {
            pinger.verify(nowMillis, c);
        }
    }

    private void onReply(long nowMillis, KrpcMessage reply, InetSocketAddress from) {
        Optional<QueryCallback> callback = queries.take(reply.transactionId(), from);
        if (callback.isEmpty()) {
            stats.unmatchedRepliesDropped++;
            return;
        }
        if (reply instanceof KrpcResponse r) {
            long roundTrip = OutgoingQueries.roundTripMillis(callback.get(), nowMillis);
            if (table.recordReply(new Contact(r.sender(), from), nowMillis, roundTrip) == InsertResult.CACHED) {
                pinger.pingQuestionable(nowMillis, r.sender());
            }
            callback.get().onResponse(r, nowMillis);
        } else {
            callback.get().onError((KrpcError) reply, nowMillis);
        }
    }

    /** A response or error to a query from {@code to}, carrying BEP 42's {@code ip}. */
    private void reply(InetSocketAddress to, KrpcMessage message) {
        transport.send(to, KrpcCodec.encodeReply(message, to));
    }

    /** How many addresses the query rate limit tracks now. */
    int rateLimitedAddresses() {
        return rateLimit.trackedCount();
    }
}
