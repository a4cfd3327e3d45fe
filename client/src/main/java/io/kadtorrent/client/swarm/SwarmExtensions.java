package io.kadtorrent.client.swarm;

import io.kadtorrent.client.ext.ExtensionExchange;
import io.kadtorrent.client.ext.ExtensionProtocolException;
import io.kadtorrent.client.ext.MetadataServing;
import io.kadtorrent.client.net.PeerConnection;
import io.kadtorrent.client.wire.PeerMessage;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.util.Optional;

/**
 * The BEP 10 side of a swarm's connections: sends our extension handshake to peers that set the
 * BEP 10 bit and answers their BEP 9 ut_metadata requests from the torrent we have, so magnet
 * downloaders can start from us. Guarded by the swarm's lock.
 */
final class SwarmExtensions {

    static final String CLIENT = "kadtorrent 0.1";

    private final Optional<MetadataServing> serving;

    SwarmExtensions(Metainfo metainfo) {
        this.serving = MetadataServing.canServe(metainfo) ? Optional.of(MetadataServing.of(metainfo)) : Optional.empty();
    }

    void onOpen(PeerConnection c, PeerState s) {
        if (c.remote().supportsExtensionProtocol()) {
            s.extensions = new ExtensionExchange(serving);
            // reqq: as many requests as we really queue. libtorrent keeps min(reqq, 500) in flight to us;
            // at 250 its request stream ran dry between bursts and our uploads to it idled (~0.6x its speed)
            send(c, s.extensions.handshake(CLIENT, 0, Uploads.MAX_QUEUED_REQUESTS));
        }
    }

    void onExtended(PeerConnection c, PeerState s, PeerMessage.Extended e) {
        if (s.extensions == null) {
            c.close("BEP 10 message without the BEP 10 handshake bit");
            return;
        }
        try {
            if (s.extensions.onExtended(e.extendedId(), e.payload()) instanceof ExtensionExchange.Received.Answered a) {
                a.reply().ifPresent(o -> send(c, o));
            }
        } catch (ExtensionProtocolException ex) {
            c.close(ex.getMessage());
        }
    }

    static void send(PeerConnection c, ExtensionExchange.Outgoing o) {
        c.send(new PeerMessage.Extended(o.extendedId(), o.payload()));
    }
}
