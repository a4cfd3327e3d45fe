package io.kadtorrent.client.swarm;

import io.kadtorrent.client.net.PeerConnection;
import io.kadtorrent.client.net.PeerTorrent;
import io.kadtorrent.client.pick.PiecePicker;
import io.kadtorrent.client.storage.PieceStore;
import io.kadtorrent.client.wire.BlockRequest;
import io.kadtorrent.client.wire.PeerMessage;
import io.kadtorrent.client.wire.PeerMessage.Bitfield;
import io.kadtorrent.client.wire.PeerMessage.Cancel;
import io.kadtorrent.client.wire.PeerMessage.Choke;
import io.kadtorrent.client.wire.PeerMessage.Have;
import io.kadtorrent.client.wire.PeerMessage.Interested;
import io.kadtorrent.client.wire.PeerMessage.NotInterested;
import io.kadtorrent.client.wire.PeerMessage.Piece;
import io.kadtorrent.client.wire.PeerMessage.Port;
import io.kadtorrent.client.wire.PeerMessage.Request;
import io.kadtorrent.client.wire.PeerMessage.Unchoke;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * One torrent's set of peer connections: reacts to their BEP 3 messages, keeps requests pipelined
 * through the {@link PiecePicker}, serves verified pieces (partial seeding), broadcasts {@code have}
 * after each verified piece and bans peers whose data fails the hash. Peers may come from any source
 * through {@link #addPeer}. Thread-safe: connection events arrive from several event loops and piece
 * checks from the disk thread, so all state is guarded by this object's lock.
 */
public final class TorrentSwarm implements PeerTorrent {

    private static final Logger log = LoggerFactory.getLogger(TorrentSwarm.class);
    private static final PeerMessage INTERESTED = new Interested();
    private static final PeerMessage NOT_INTERESTED = new NotInterested();
    /** Room for BEP 10 extension messages (e.g. a BEP 9 metadata piece) beyond a 16 KiB block. */
    private static final int EXTENSION_SLACK_BYTES = 1024;
    /** sendfile for uploads; {@code -Dkadtorrent.zeroCopy=false} reads into pooled buffers instead. */
    private static final boolean ZERO_COPY = !"false".equals(System.getProperty("kadtorrent.zeroCopy"));

    private final Metainfo metainfo;
    private final PieceStore store;
    private final PiecePicker picker;
    private final DiskWriter disk;
    private final Uploads uploads;
    private final ChokeControl choker;
    private final SwarmExtensions extensions;
    private final PeerConnector connector;
    private final int maxPeers;
    private final Map<PeerConnection, PeerState> peers = new LinkedHashMap<>();
    private final PeerBans bans = new PeerBans();
    private final Map<Integer, List<PeerConnection>> contributors = new LinkedHashMap<>();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final List<IntConsumer> verifiedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<InetSocketAddress>> banListeners = new CopyOnWriteArrayList<>();
    private long downloadedBytes;
    /** Block bytes received per peer address, for "who served whom" reports; bounded. */
    private final Map<InetSocketAddress, Long> downloadedFrom = new LinkedHashMap<>();
    private static final int MAX_TRACKED_SOURCES = 1024;
    /** Requests are topped up once this share of the peer's depth (1/8) has been answered. */
    private static final int REFILL_FRACTION = 8;

    public TorrentSwarm(Metainfo metainfo, PieceStore store, DiskWriter disk, PeerConnector connector,
                        int maxPeers, int unchokeSlots, RandomGenerator random) {
        this.metainfo = metainfo;
        this.store = store;
        this.picker = new PiecePicker(metainfo.layout(), store.verifiedPieces(), random);
        this.disk = disk;
        this.uploads = new Uploads(store, metainfo.layout(), ZERO_COPY);
        this.choker = new ChokeControl(unchokeSlots, random);
        this.extensions = new SwarmExtensions(metainfo);
        this.connector = connector;
        this.maxPeers = maxPeers;
        if (store.isComplete()) {
            completion.complete(null);
        }
    }

    public Metainfo metainfo() {
        return metainfo;
    }

    public PieceStore store() {
        return store;
    }

    /** Completes when every piece is verified on disk (at once for a seeder with all data). */
    public CompletableFuture<Void> completion() {
        return completion;
    }

    /** {@code listener} is told the index of each piece verified from now on (on the disk thread). */
    public void onPieceVerified(IntConsumer listener) {
        verifiedListeners.add(listener);
    }

    /** {@code listener} is told the address of each peer banned for bad data (on the disk thread). */
    public void onPeerBanned(Consumer<InetSocketAddress> listener) {
        banListeners.add(listener);
    }

    /** Connects to a peer found anywhere (CLI, DHT, incoming list) unless it is banned or we are full. */
    public void addPeer(InetSocketAddress address) {
        synchronized (this) {
            if (bans.isBanned(address) || peers.size() >= maxPeers) {
                return;
            }
        }
        connector.connect(this, address);
    }

    /** True when {@code address} sent bad data and is refused from now on. */
    public synchronized boolean isBanned(InetSocketAddress address) {
        return bans.isBanned(address);
    }

    public synchronized SwarmStats stats() {
        long verifiedBytes = 0;
        BitSet have = store.verifiedPieces();
        for (int i = have.nextSetBit(0); i >= 0; i = have.nextSetBit(i + 1)) {
            verifiedBytes += metainfo.layout().pieceSize(i);
        }
        return new SwarmStats(downloadedBytes, uploads.uploadedBytes(), verifiedBytes, metainfo.totalBytes(),
                peers.size());
    }

    /** Block bytes received so far from each peer address (at most 1,024 addresses are tracked). */
    public synchronized Map<InetSocketAddress, Long> downloadedByPeer() {
        return Map.copyOf(downloadedFrom);
    }

    private void countSource(InetSocketAddress from, int bytes) {
        if (from != null && (downloadedFrom.containsKey(from) || downloadedFrom.size() < MAX_TRACKED_SOURCES)) {
            downloadedFrom.merge(from, (long) bytes, Long::sum);
        }
    }

    /**
     * Re-decides who may download from us (tit-for-tat, {@link Choker}); the session calls this every
     * {@link Choker#RECHOKE_INTERVAL}, and interest changes call it at once.
     */
    public synchronized void rechoke() {
        choker.rechoke(peers, store.isComplete(), Instant.now(), System.nanoTime());
    }

    @Override
    public InfoHash infoHash() {
        return metainfo.infoHash();
    }

    @Override
    public int maxFrameBytes() {
        int bitfield = 1 + (metainfo.pieceCount() + 7) / 8;
        int piece = 9 + BlockRequest.BLOCK_SIZE + EXTENSION_SLACK_BYTES;
        return Math.max(bitfield, piece);
    }

    @Override
    public synchronized boolean onOpen(PeerConnection c) {
        if (bans.isBanned(c.remoteAddress()) || bans.isBanned(c.remote().peerId()) || peers.size() >= maxPeers) {
            return false;
        }
        PeerState state = new PeerState();
        state.connectedAt = Instant.now();
        peers.put(c, state);
        BitSet have = store.verifiedPieces();
        if (!have.isEmpty()) {
            c.send(Bitfield.of(have, metainfo.pieceCount()));
        }
        extensions.onOpen(c, state); // after the bitfield, which BEP 3 wants first
        log.debug("{}: peer {} connected", metainfo.infoHash().shortHex(), c.remoteAddress());
        return true;
    }

    @Override
    public synchronized void onMessage(PeerConnection c, PeerMessage m) {
        PeerState s = peers.get(c);
        if (s == null) {
            return;
        }
        if (m instanceof Piece p) {
            onPiece(c, s, p);
        } else if (m instanceof Request r) {
            uploads.onRequest(c, s, r);
        } else if (m instanceof Have h) {
            onHave(c, s, h.pieceIndex());
        } else if (m instanceof Bitfield b) {
            onBitfield(c, s, b);
        } else if (m instanceof Choke) {
            s.peerChoking = true;
            dropInFlight(s); // BEP 3: a choke discards every request we had pending
        } else if (m instanceof Unchoke) {
            s.peerChoking = false;
            fillRequests(c, s);
        } else if (m instanceof Interested) {
            s.peerInterested = true;
            rechoke();
        } else if (m instanceof NotInterested) {
            s.peerInterested = false;
            rechoke();
        } else if (m instanceof Cancel x) {
            s.uploadQueue.remove(x.block());
        } else if (m instanceof Port port) {
            s.dhtPort = port.port();
        } else if (m instanceof PeerMessage.Extended e) {
            extensions.onExtended(c, s, e);
        }
        // keep-alive needs nothing
    }

    @Override
    public synchronized void onWritable(PeerConnection c) {
        PeerState s = peers.get(c);
        if (s != null) {
            uploads.drain(c, s);
        }
    }

    @Override
    public synchronized void onClose(PeerConnection c) {
        PeerState s = peers.remove(c);
        if (s == null) {
            return;
        }
        dropInFlight(s);
        picker.availability().removePeer(s.pieces);
        rechoke();
        refillAll();
        log.debug("{}: peer {} gone", metainfo.infoHash().shortHex(), c.remoteAddress());
    }

    private void onBitfield(PeerConnection c, PeerState s, Bitfield b) {
        int n = metainfo.pieceCount();
        if (b.bits().length != (n + 7) / 8) {
            c.close("bitfield of " + b.bits().length + " bytes for " + n + " pieces");
            return;
        }
        BitSet pieces = b.pieces();
        if (pieces.length() > n) {
            c.close("bitfield sets spare bits beyond piece " + (n - 1));
            return;
        }
        picker.availability().removePeer(s.pieces);
        s.pieces.clear();
        s.pieces.or(pieces);
        picker.availability().addPeer(s.pieces);
        updateInterest(c, s);
    }

    private void onHave(PeerConnection c, PeerState s, int index) {
        if (index >= metainfo.pieceCount()) {
            c.close("have for piece " + index + " of " + metainfo.pieceCount());
            return;
        }
        if (!s.pieces.get(index)) {
            s.pieces.set(index);
            picker.availability().addHave(index);
            updateInterest(c, s);
            if (!s.peerChoking) {
                fillRequests(c, s);
            }
        }
    }

    private void onPiece(PeerConnection c, PeerState s, Piece p) {
        BlockRequest block = p.blockRequest();
        if (!s.inFlight.remove(block)) {
            return; // not requested from this peer (late after a cancel or choke): ignore
        }
        downloadedBytes += block.lengthBytes();
        countSource(c.remoteAddress(), block.lengthBytes());
        s.recordReceived(block.lengthBytes(), System.nanoTime());
        s.lastBlockAt = Instant.now();
        PiecePicker.Received r = picker.blockReceived(block);
        if (r == PiecePicker.Received.ACCEPTED || r == PiecePicker.Received.PIECE_COMPLETE) {
            contributors.computeIfAbsent(block.pieceIndex(), k -> new ArrayList<>(2)).add(c);
            cancelDuplicates(c, block);
            // the disk writer takes a reference of its own; the connection releases the message's
            disk.write(this, block, p.block().retain(), r == PiecePicker.Received.PIECE_COMPLETE);
        }
        fillRequests(c, s);
    }

    /** Endgame: the block came from {@code from}; cancel the same request sent to others. */
    private void cancelDuplicates(PeerConnection from, BlockRequest block) {
        for (Map.Entry<PeerConnection, PeerState> e : peers.entrySet()) {
            if (e.getKey() != from && e.getValue().inFlight.remove(block)) {
                picker.unrequest(block);
                e.getKey().send(new Cancel(block.pieceIndex(), block.begin(), block.lengthBytes()));
            }
        }
    }

    /** Called by the disk writer after piece {@code index} was written and hashed. */
    synchronized void pieceChecked(int index, boolean ok) {
        List<PeerConnection> from = contributors.remove(index);
        if (ok) {
            picker.pieceVerified(index);
            for (Map.Entry<PeerConnection, PeerState> e : peers.entrySet()) {
                e.getKey().send(new Have(index));
                updateInterest(e.getKey(), e.getValue());
            }
            verifiedListeners.forEach(l -> l.accept(index));
            if (picker.isComplete()) {
                onComplete();
            }
            return;
        }
        picker.pieceFailed(index);
        for (PeerState s : peers.values()) {
            s.inFlight.removeIf(b -> b.pieceIndex() == index); // the picker forgot this round's requests
        }
        for (PeerConnection c : bans.blame(index, from == null ? List.of() : from)) {
            c.close("sent data for piece " + index + " that failed its SHA-1: banned");
            banListeners.forEach(l -> l.accept(c.remoteAddress()));
        }
        refillAll();
    }

    /** Called by the disk writer when the disk fails: the download cannot go on. */
    void diskFailed(Throwable error) {
        log.error("{}: storage failed: {}", metainfo.infoHash().shortHex(), error.getMessage());
        completion.completeExceptionally(error);
    }

    /** Called by the disk writer when its backlog drained after it refused more requests. */
    synchronized void refillAll() {
        for (Map.Entry<PeerConnection, PeerState> e : peers.entrySet()) {
            fillRequests(e.getKey(), e.getValue());
        }
    }

    private void onComplete() {
        log.debug("{}: complete, {} bytes", metainfo.infoHash().shortHex(), metainfo.totalBytes());
        for (Map.Entry<PeerConnection, PeerState> e : List.copyOf(peers.entrySet())) {
            if (e.getValue().pieces.cardinality() == metainfo.pieceCount()) {
                e.getKey().disconnect("both sides are seeds"); // nothing left to trade
            }
        }
        completion.complete(null); // every piece was read back or hashed as written, and matched
        disk.saveResume(this);
    }

    private void fillRequests(PeerConnection c, PeerState s) {
        if (s.peerChoking || !s.amInterested || disk.isBacklogged(this)) {
            return;
        }
        int want = s.depth() - s.inFlight.size();
        // top up in batches, one write each, rather than one request per block that arrives
        if (want <= 0 || (want < s.depth() / REFILL_FRACTION && !s.inFlight.isEmpty())) {
            return;
        }
        List<BlockRequest> picked = picker.pick(s.pieces, want, s.inFlight);
        s.inFlight.addAll(picked);
        c.sendRequests(picked);
    }

    private void updateInterest(PeerConnection c, PeerState s) {
        boolean interesting = picker.isInteresting(s.pieces);
        if (interesting && !s.amInterested) {
            s.amInterested = true;
            c.send(INTERESTED);
        } else if (!interesting && s.amInterested) {
            s.amInterested = false;
            c.send(NOT_INTERESTED);
        }
    }

    private void dropInFlight(PeerState s) {
        for (BlockRequest b : s.inFlight) {
            picker.unrequest(b);
        }
        s.inFlight.clear();
    }
}
