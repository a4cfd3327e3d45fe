package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
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

    /** What is announced: this host serves {@code infoHash} on {@code port} (or on its UDP source port). */
    record Announcement(InfoHash infoHash, int port, boolean impliedPort) {
    }

    private final NodeId own;
    private final QuerySender queries;
    private final Announcement announcement;
    private IntConsumer done;
    private int outstanding;
    private int accepted;

    AnnounceRound(NodeId own, QuerySender queries, Announcement announcement) {
        this.own = own;
        this.queries = queries;
        this.announcement = announcement;
    }

    /** Announces to the nodes of {@code lookup} that gave a token; {@code onDone} gets how many accepted. */
    void start(long nowMillis, LookupResult lookup, IntConsumer onDone) {
        this.done = onDone;
        outstanding = lookup.tokens().size();
        if (outstanding == 0) {
            done.accept(0);
            return;
        }
        for (Map.Entry<Contact, Token> e : lookup.tokens().entrySet()) {
            announceTo(nowMillis, e.getKey(), e.getValue());
        }
    }

    private void announceTo(long nowMillis, Contact c, Token token) {
        boolean sent = queries.send(nowMillis, c.address(), tid -> new KrpcQuery.AnnouncePeer(tid, own, false,
                announcement.infoHash(), announcement.port(), announcement.impliedPort(), token),
                QueryCallback.of(response -> accepted++, now -> settled()));
        if (!sent) {
            settled();
        }
    }

    private void settled() {
        if (--outstanding == 0) {
            done.accept(accepted);
        }
    }
}
