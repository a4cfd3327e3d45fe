package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.Token;
import io.kadtorrent.dht.lookup.LookupResult;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.rpc.QueryCallback;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.Map;
import java.util.function.IntConsumer;

/** The second half of a BEP 5 announce: announce_peer, with its token, to each closest node that gave one. */
final class AnnounceRound {

    private final DhtEngine engine;
    private final InfoHash infoHash;
    private final int port;
    private final boolean impliedPort;
    private IntConsumer done;
    private int outstanding;
    private int accepted;

    AnnounceRound(DhtEngine engine, InfoHash infoHash, int port, boolean impliedPort) {
        this.engine = engine;
        this.infoHash = infoHash;
        this.port = port;
        this.impliedPort = impliedPort;
    }

    void start(LookupResult lookup, long nowMillis, IntConsumer onDone) {
        this.done = onDone;
        outstanding = lookup.tokens().size();
        if (outstanding == 0) {
            done.accept(0);
            return;
        }
        for (Map.Entry<Contact, Token> e : lookup.tokens().entrySet()) {
            announceTo(e.getKey(), e.getValue(), nowMillis);
        }
    }

    private void announceTo(Contact c, Token token, long nowMillis) {
        RetryingQuery.send(engine, c.address(), tid -> new KrpcQuery.AnnouncePeer(tid, engine.ownId(), false,
                infoHash, port, impliedPort, token), engine.maxAttempts(), QueryCallback.of(response -> {
                    accepted++;
                    settled();
                }, this::settled), nowMillis);
    }

    private void settled() {
        if (--outstanding == 0) {
            done.accept(accepted);
        }
    }
}
