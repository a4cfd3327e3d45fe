package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.ext.ExtensionExchange;
import io.kadtorrent.engine.ext.ExtensionProtocolException;
import io.kadtorrent.engine.ext.MetadataAssembler;
import io.kadtorrent.engine.ext.MetadataMessage;
import io.kadtorrent.engine.ext.MetadataServing;
import io.kadtorrent.engine.ext.PexMessage;
import io.kadtorrent.engine.wire.PeerMessage.Extended;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The BEP 10 side of the swarm core: our extension handshake to peers that set the BEP 10 bit, answers
 * to their BEP 9 ut_metadata requests once we have the torrent, and, for a magnet link, fetching the
 * info dictionary from them piece by piece through a {@link MetadataAssembler} (peers whose pieces
 * break the info_hash are dropped and banned). Confined to the core's thread.
 */
final class MetadataExchange {

    private static final Logger log = LoggerFactory.getLogger(MetadataExchange.class);

    static final String CLIENT = "kadtorrent 0.1.0";

    private final MetadataAssembler<PeerLink> assembler;
    private final Outbox out;
    private final PeerVerdict verdict;
    private Optional<MetadataServing> serving = Optional.empty();
    private boolean fetching;
    private boolean peerExchange = true; // false once a private (BEP 27) metainfo is known

    private final int listenPort;
    private final PexReceiver pex;

    /** Where a peer's BEP 11 message goes. */
    interface PexReceiver {
        void received(long now, PeerState s, PexMessage message);
    }

    MetadataExchange(InfoHash infoHash, Outbox out, PeerVerdict verdict, int listenPort, PexReceiver pex) {
        this.listenPort = listenPort;
        this.pex = pex;
        this.assembler = new MetadataAssembler<>(infoHash);
        this.out = out;
        this.verdict = verdict;
        this.fetching = true;
    }

    /** We have the torrent: serve its info dictionary, stop fetching. */
    void learn(Metainfo metainfo) {
        fetching = false;
        serving = MetadataServing.canServe(metainfo) ? Optional.of(MetadataServing.of(metainfo)) : Optional.empty();
        peerExchange = !metainfo.isPrivate(); // BEP 27: a private torrent's handshake offers no ut_pex
    }

    /**
     * A peer that set the BEP 10 bit connected: our handshake goes right after the bitfield, if any.
     * {@code uploadOnly}: we want no more pieces (BEP 21).
     */
    void peerConnected(PeerState s, boolean uploadOnly) {
        s.extensions = new ExtensionExchange(serving, peerExchange);
        sendHandshake(s, uploadOnly);
    }

    /**
     * Tells a BEP 10 peer again whether we want more pieces, now that it changed (BEP 10 lets a handshake be
     * repeated): complete, or wanting a file again after it was skipped.
     */
    void uploadOnlyChanged(PeerState s, boolean uploadOnly) {
        if (s.extensions != null) {
            sendHandshake(s, uploadOnly);
        }
    }

    /** BEP 21: every open peer hears we want pieces again (a skipped file became wanted after completion). */
    void downloadingAgain(Iterable<PeerState> peers) {
        for (PeerState s : peers) {
            if (!s.closing) {
                uploadOnlyChanged(s, false);
            }
        }
    }

    private void sendHandshake(PeerState s, boolean uploadOnly) {
        // reqq: as many requests as we really queue. libtorrent keeps min(reqq, 500) in flight to us;
        // at 250 its request stream ran dry between bursts and our uploads to it idled (~0.6x its speed)
        // p: our port, so a peer we dialled can call us back and gossip us to others
        // yourip: its address as we see it, so it can learn its external address
        out.send(s, s.extensions.handshake(CLIENT, listenPort, Uploads.MAX_QUEUED_REQUESTS,
                Optional.ofNullable(s.address.getAddress()), uploadOnly));
    }

    void peerGone(PeerLink link) {
        if (fetching) {
            assembler.removePeer(link);
        }
    }

    private static String str(java.util.OptionalInt v) {
        return v.isPresent() ? String.valueOf(v.getAsInt()) : "-";
    }

    /** One extended message; returns the verified torrent when it completed the metadata. */
    Optional<Metainfo> onExtended(long now, PeerState s, Extended e, Map<PeerLink, PeerState> peers) {
        if (s.extensions == null) {
            verdict.drop(s, "BEP 10 message without the BEP 10 handshake bit", false);
            return Optional.empty();
        }
        ExtensionExchange.Received r;
        try {
            r = s.extensions.onExtended(e.extendedId(), e.payload());
        } catch (ExtensionProtocolException ex) {
            verdict.drop(s, ex.getMessage(), false);
            return Optional.empty();
        }
        if (r instanceof ExtensionExchange.Received.Answered a) {
            a.reply().ifPresent(o -> out.send(s, o));
        }
        if (r instanceof ExtensionExchange.Received.Pex p) {
            pex.received(now, s, p.message());
            return Optional.empty();
        }
        if (r instanceof ExtensionExchange.Received.Handshake h && log.isDebugEnabled()) {
            var x = h.handshake();
            log.debug("peer {} offers BEP 10 extensions {}, client {}, listen port {}, metadata {} bytes, reqq {},"
                    + " upload_only {}, sees us as {}", s.address, x.extensionIds(), x.client().orElse("?"),
                    str(x.listenPort()), str(x.metadataSizeBytes()), str(x.requestQueueDepth()), x.uploadOnly(),
                    x.yourIp().map(InetAddress::getHostAddress).orElse("-"));
        }
        if (!fetching) {
            return Optional.empty();
        }
        Optional<Metainfo> done = Optional.empty();
        if (r instanceof ExtensionExchange.Received.Handshake h) {
            assembler.addPeer(s.link, h.handshake());
        } else if (r instanceof ExtensionExchange.Received.Metadata md) {
            done = onMetadata(s, md.message());
        }
        for (PeerLink liar : assembler.takeNewlyBanned()) {
            PeerState l = peers.get(liar);
            if (l != null) {
                verdict.drop(l, "sent metadata that does not match the info_hash", true);
            }
        }
        if (done.isEmpty()) {
            requestMissing(now, peers);
        }
        return done;
    }

    private Optional<Metainfo> onMetadata(PeerState s, MetadataMessage message) {
        if (message instanceof MetadataMessage.Reject reject) {
            assembler.onReject(s.link, reject.piece());
            return Optional.empty();
        }
        MetadataAssembler.Outcome outcome = assembler.onData(s.link, (MetadataMessage.Data) message);
        if (outcome == MetadataAssembler.Outcome.COMPLETE) {
            return assembler.metainfo();
        }
        if (outcome == MetadataAssembler.Outcome.INVALID_METAINFO) {
            out.add(new SwarmAction.Failed("the metadata matches the info_hash but is not a valid torrent: "
                    + assembler.failure().orElseThrow().getMessage()));
        }
        return Optional.empty();
    }

    /** Asks peers for metadata pieces nobody is fetching, and again for those that timed out. */
    void requestMissing(long now, Map<PeerLink, PeerState> peers) {
        if (!fetching) {
            return;
        }
        for (MetadataAssembler.PieceRequest<PeerLink> r : assembler.poll(Instant.ofEpochMilli(now))) {
            PeerState s = peers.get(r.peer());
            if (s != null && s.extensions != null) {
                s.extensions.request(r.piece()).ifPresent(o -> out.send(s, o));
            }
        }
    }
}
