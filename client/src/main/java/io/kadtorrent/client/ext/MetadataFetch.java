package io.kadtorrent.client.ext;

import io.kadtorrent.client.net.PeerConnection;
import io.kadtorrent.client.net.PeerTorrent;
import io.kadtorrent.client.wire.BlockRequest;
import io.kadtorrent.client.wire.PeerMessage;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The peer side of a magnet download before the torrent is known: connects to peers of the
 * info_hash, speaks only BEP 10 to them and lets a {@link MetadataAssembler} fetch and verify the
 * info dictionary over BEP 9. Completes {@link #metainfo()} once verified; then the caller closes
 * it and starts the real swarm, handing it {@link #peersSeen()}. Thread-safe (connections report
 * from several event loops), all state under this object's lock.
 */
public final class MetadataFetch implements PeerTorrent {

    private static final Logger log = LoggerFactory.getLogger(MetadataFetch.class);
    private static final String CLIENT = "kadtorrent 0.1";
    private static final int MAX_PEERS = 50;

    private final InfoHash infoHash;
    private final BiConsumer<PeerTorrent, InetSocketAddress> connector;
    private final MetadataAssembler<PeerConnection> assembler;
    private final Map<PeerConnection, ExtensionExchange> exchanges = new HashMap<>();
    private final Set<InetSocketAddress> peersSeen = new LinkedHashSet<>();
    private final CompletableFuture<Metainfo> metainfo = new CompletableFuture<>();
    private boolean closed;

    /** {@code connector} opens an outgoing connection for the given torrent (this fetch). */
    public MetadataFetch(InfoHash infoHash, BiConsumer<PeerTorrent, InetSocketAddress> connector) {
        this.infoHash = infoHash;
        this.connector = connector;
        this.assembler = new MetadataAssembler<>(infoHash);
    }

    /** Completes with the verified torrent, or exceptionally if it matched the info_hash but is not a valid torrent. */
    public CompletableFuture<Metainfo> metainfo() {
        return metainfo;
    }

    /** Connects to a peer found anywhere, once, while the metadata is still missing. */
    public void addPeer(InetSocketAddress address) {
        synchronized (this) {
            if (closed || metainfo.isDone() || !peersSeen.add(address) || exchanges.size() >= MAX_PEERS) {
                return;
            }
        }
        connector.accept(this, address);
    }

    /** Every address we were offered, to hand to the swarm once the torrent is known. */
    public synchronized List<InetSocketAddress> peersSeen() {
        return List.copyOf(peersSeen);
    }

    /** Re-sends timed-out requests to other peers; call about once a second. */
    public synchronized void tick() {
        pump();
    }

    /** Closes every connection of this fetch. */
    public void close() {
        List<PeerConnection> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(exchanges.keySet());
        }
        open.forEach(c -> c.close("metadata fetch finished"));
    }

    @Override
    public InfoHash infoHash() {
        return infoHash;
    }

    @Override
    public int maxFrameBytes() {
        // BEP 9 data: message id, extended id, a small dictionary and one 16 KiB piece; or the bitfield of
        // the largest torrent whose metadata we accept (a peer sends it before we know the piece count)
        int metadataPiece = 2 + 1024 + MetadataLayout.PIECE_BYTES + BlockRequest.BLOCK_SIZE;
        int largestBitfield = 1 + (MetadataLayout.MAX_TOTAL_BYTES / InfoHash.LENGTH + 7) / 8;
        return Math.max(metadataPiece, largestBitfield);
    }

    @Override
    public synchronized boolean onOpen(PeerConnection c) {
        if (closed || metainfo.isDone() || !c.remote().supportsExtensionProtocol()) {
            return false; // without BEP 10 a peer cannot give us metadata
        }
        ExtensionExchange exchange = new ExtensionExchange(Optional.empty());
        exchanges.put(c, exchange);
        send(c, exchange.handshake(CLIENT, 0, 16));
        return true;
    }

    @Override
    public synchronized void onMessage(PeerConnection c, PeerMessage m) {
        ExtensionExchange exchange = exchanges.get(c);
        if (exchange == null || !(m instanceof PeerMessage.Extended e)) {
            return; // bitfields, haves and the like mean nothing before we know the torrent
        }
        try {
            ExtensionExchange.Received r = exchange.onExtended(e.extendedId(), e.payload());
            if (r instanceof ExtensionExchange.Received.Handshake h) {
                assembler.addPeer(c, h.handshake());
            } else if (r instanceof ExtensionExchange.Received.Answered a) {
                a.reply().ifPresent(o -> send(c, o));
            } else if (r instanceof ExtensionExchange.Received.Metadata md) {
                onMetadata(c, md.message());
            }
        } catch (ExtensionProtocolException ex) {
            c.close(ex.getMessage());
            return;
        }
        assembler.takeNewlyBanned().forEach(p -> p.close("sent metadata that does not match the info_hash"));
        pump();
    }

    private void onMetadata(PeerConnection c, MetadataMessage message) {
        if (message instanceof MetadataMessage.Reject reject) {
            assembler.onReject(c, reject.piece());
            return;
        }
        MetadataAssembler.Outcome outcome = assembler.onData(c, (MetadataMessage.Data) message);
        if (outcome == MetadataAssembler.Outcome.COMPLETE) {
            log.info("{}: metadata verified ({} peers)", infoHash.shortHex(), exchanges.size());
            metainfo.complete(assembler.metainfo().orElseThrow());
        } else if (outcome == MetadataAssembler.Outcome.INVALID_METAINFO) {
            metainfo.completeExceptionally(assembler.failure().orElseThrow());
        }
    }

    @Override
    public void onWritable(PeerConnection c) {
    }

    @Override
    public synchronized void onClose(PeerConnection c) {
        if (exchanges.remove(c) != null) {
            assembler.removePeer(c);
            pump();
        }
    }

    private void pump() {
        if (closed || metainfo.isDone()) {
            return;
        }
        for (MetadataAssembler.PieceRequest<PeerConnection> r : assembler.poll(Instant.now())) {
            ExtensionExchange exchange = exchanges.get(r.peer());
            if (exchange != null) {
                exchange.request(r.piece()).ifPresent(o -> send(r.peer(), o));
            }
        }
    }

    private static void send(PeerConnection c, ExtensionExchange.Outgoing o) {
        c.send(new PeerMessage.Extended(o.extendedId(), o.payload()));
    }
}
