package io.kadtorrent.engine.session;

import io.kadtorrent.engine.net.PeerConnection;
import io.kadtorrent.engine.net.PeerTorrent;
import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.pick.FileSelection;
import io.kadtorrent.engine.storage.PieceStore;
import io.kadtorrent.engine.swarm.PeerInfo;
import io.kadtorrent.engine.swarm.SwarmAction;
import io.kadtorrent.engine.swarm.SwarmCore;
import io.kadtorrent.engine.swarm.SwarmStats;
import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * One torrent of a {@link Session}: the thin runtime around its {@link SwarmCore}. Events from the
 * connections, the disk thread, the timer and the caller go up through one queue, drained on the
 * torrent's event loop, which alone touches the core; after each event the core's actions are performed
 * (sends, dials, closes, disk writes). Its outgoing connections live on the same event loop, so their
 * events need no thread hop. The public methods may be called from any thread.
 */
public final class Torrent implements PeerTorrent {

    private static final Logger log = LoggerFactory.getLogger(Torrent.class);
    /** Room for BEP 10 extension messages (e.g. a BEP 9 metadata piece) beyond a 16 KiB block. */
    private static final int EXTENSION_SLACK_BYTES = 1024;

    private final Session session;
    private final EventLoop loop;
    private final SwarmCore core;
    private final SwarmLoop swarmLoop;
    private final SwarmQueries queries;
    private final InfoHash infoHash;
    private final CompletableFuture<Metainfo> metadata = new CompletableFuture<>();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final List<IntConsumer> verifiedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<InetSocketAddress>> banListeners = new CopyOnWriteArrayList<>();
    private final Set<InetSocketAddress> dialing = new HashSet<>(); // the loop's own
    private final PeerSends sends = new PeerSends(c -> post((core, now) -> core.peerSent(now, c)));
    private volatile PieceStore store; // null until a magnet download has its metadata
    private volatile boolean needsPeers = true;
    private final SwarmLimitMember limitMember = new SwarmLimitMember(this::post);
    /** For a magnet link: opens its files once the metadata is known. */
    private final MagnetStorage magnetStorage;

    Torrent(Session session, EventLoop loop, SwarmCore core, PieceStore store, Path parentDir, FileSelection selection) {
        this.session = session;
        this.magnetStorage = new MagnetStorage(parentDir, selection, session::openStorage, this::post);
        this.loop = loop;
        this.core = core;
        this.infoHash = core.infoHash();
        this.store = store;
        this.queries = new SwarmQueries(loop, core);
        this.swarmLoop = new SwarmLoop(loop, core, this::perform, this::afterDrain,
                () -> needsPeers = core.needsPeers());
        core.metainfo().ifPresent(metadata::complete);
        post((c, now) -> { }); // performs what the core queued at construction (a seed's completion)
    }

    // ---- for callers (any thread) ----

    @Override
    public InfoHash infoHash() {
        return infoHash;
    }

    /** Completes with the verified torrent (at once unless it came from a magnet link). */
    public CompletableFuture<Metainfo> metadata() {
        return metadata;
    }

    /** The torrent; throws when a magnet download does not have it yet. */
    public Metainfo metainfo() {
        Metainfo m = metadata.getNow(null);
        if (m == null) {
            throw new IllegalStateException("the metadata of " + infoHash.hex() + " is not known yet");
        }
        return m;
    }

    /** Completes when every piece is verified on disk; exceptionally when the download cannot go on. */
    public CompletableFuture<Void> completion() {
        return completion;
    }

    /** The torrent's storage; empty while a magnet download has no metadata yet. */
    public Optional<PieceStore> store() {
        return Optional.ofNullable(store);
    }

    /** Hands peer addresses to the core, which dials them when it wants; {@code fromUser} ones are never forgotten. */
    public void addPeers(Collection<InetSocketAddress> peers, boolean fromUser) {
        List<InetSocketAddress> copy = List.copyOf(peers);
        post((c, now) -> c.addPeers(now, copy, fromUser));
    }

    public void addPeer(InetSocketAddress peer) {
        addPeers(List.of(peer), true);
    }

    public void pause() {
        post(SwarmCore::pause);
    }

    public void resume() {
        post(SwarmCore::resume);
    }

    public SwarmStats stats() {
        return queries.query(SwarmCore::stats);
    }

    /**
     * The stats, answered on the swarm's loop without blocking the caller: a daemon asks all its torrents at
     * once and then collects, so a thousand of them cost a burst of tasks instead of a thousand thread hand-offs.
     */
    public CompletableFuture<SwarmStats> statsAsync() {
        return queries.askAsync(SwarmCore::stats);
    }

    /**
     * The stats if the swarm's loop answers within {@code wait}, else empty: for displays, which skip a
     * frame when the loop is busy (a starved machine) rather than fail the download as {@link #stats} would.
     */
    public Optional<SwarmStats> statsWithin(Duration wait) {
        return queries.ask(SwarmCore::stats, wait);
    }

    /**
     * This torrent's own rate limits in bytes per second (0: unlimited), protocol overhead counted; the
     * session's limits apply too. Takes effect at once.
     */
    public void setRateLimits(long uploadBytesPerSecond, long downloadBytesPerSecond) {
        if (uploadBytesPerSecond < 0 || downloadBytesPerSecond < 0) {
            throw new IllegalArgumentException("a rate limit cannot be negative");
        }
        post((c, now) -> c.setRateLimits(now, uploadBytesPerSecond, downloadBytesPerSecond));
    }

    /** This torrent's own limits: {upload, download} bytes per second, 0 when unlimited. */
    public long[] rateLimits() {
        return queries.query(SwarmCore::rateLimits);
    }

    /** This torrent as {@link SessionLimits} divides the session's limits. */
    SessionLimits.Member limitMember() {
        return limitMember;
    }

    /**
     * The pieces a reader needs next, soonest first (a stream): requested before any other piece.
     * Replaces the previous list.
     */
    public void setUrgentPieces(List<Integer> pieces) {
        List<Integer> copy = List.copyOf(pieces);
        log.debug("{}: a reader waits for pieces {}", infoHash.shortHex(), copy);
        post((c, now) -> c.setUrgentPieces(now, copy));
    }

    /** Sequential mode: pieces lowest index first instead of rarest first (within a file priority). */
    public void setSequential(boolean on) {
        post((c, now) -> c.setSequential(now, on));
    }

    /** Each file's priority; empty while a magnet download has no metadata yet. */
    public List<FilePriority> filePriorities() {
        return queries.query(SwarmCore::filePriorities);
    }

    /**
     * Sets each file's priority, one per file; takes effect at once (skipped files are not created, and
     * completion means every wanted file is verified).
     *
     * @throws IllegalStateException    before a magnet download has its metadata
     * @throws IllegalArgumentException when the count does not match the torrent's files
     */
    public void setFilePriorities(List<FilePriority> priorities) {
        Metainfo m = metainfo();
        FilePriority.pieceLevels(m.layout(), m.files(), priorities); // checks the count here, for the caller
        List<FilePriority> copy = List.copyOf(priorities);
        post((c, now) -> c.setFilePriorities(now, copy));
    }

    public List<PeerInfo> peers() {
        return queries.query(c -> c.peers(now()));
    }

    /** Block bytes received so far from each peer address (at most 1,024 addresses are tracked). */
    public Map<InetSocketAddress, Long> downloadedByPeer() {
        return queries.query(SwarmCore::downloadedByPeer);
    }

    /** True when {@code address} sent bad data and is refused from now on. */
    public boolean isBanned(InetSocketAddress address) {
        return queries.query(c -> c.isBanned(address));
    }

    /** True while the core would dial more peers than it knows (for peer sources); updated every tick. */
    boolean needsPeers() {
        return needsPeers;
    }

    /** {@code listener} is told the index of each piece verified from now on (on the disk thread); run the answer to stop. */
    public Runnable onPieceVerified(IntConsumer listener) {
        verifiedListeners.add(listener);
        return () -> verifiedListeners.remove(listener);
    }

    /** {@code listener} is told the address of each peer banned for bad data (on the event loop). */
    public void onPeerBanned(Consumer<InetSocketAddress> listener) {
        banListeners.add(listener);
    }

    // ---- from the connections (their event loops) ----

    @Override
    public int maxFrameBytes() {
        Metainfo m = metadata.getNow(null);
        // before a magnet's metadata: BEP 9 data, or the bitfield of the largest torrent whose metadata we
        // accept (a peer sends it before we know the piece count)
        return maxFrameBytes(m == null ? SwarmCore.MAX_PIECES_BEFORE_METADATA : m.pieceCount());
    }

    /** The largest frame a peer may send for a torrent of {@code pieceCount} pieces: a bitfield or a block. */
    static int maxFrameBytes(int pieceCount) {
        return Math.max(1 + (pieceCount + 7) / 8, 9 + BlockRequest.BLOCK_SIZE + EXTENSION_SLACK_BYTES);
    }

    @Override
    public void connected(PeerConnection c) {
        post((core, now) -> {
            if (c.isOutgoing()) {
                dialing.remove(c.remoteAddress());
            }
            if (core.peerConnected(now, c, c.remoteAddress(), c.remote(), c.isOutgoing())) {
                log.debug("{}: peer {} connected, Fast extension (BEP 6) {}", infoHash.shortHex(), c.remoteAddress(),
                        c.remote().supportsFast() ? "negotiated" : "not offered by the peer");
            }
        });
    }

    @Override
    public void received(PeerConnection c, PeerMessage message) {
        post(new SwarmLoop.Received(c, message));
    }

    @Override
    public void closed(PeerConnection c) {
        post((core, now) -> core.peerClosed(now, c));
    }

    /** Queues {@code event} for the core (see {@link SwarmLoop}). */
    void post(SwarmLoop.Event event) {
        swarmLoop.post(event);
    }

    static long now() {
        return SwarmLoop.now();
    }

    // ---- actions ----

    /** Carries out one of the core's actions, on the loop. */
    private void perform(SwarmAction a) {
        if (a instanceof SwarmAction.SendRequests r) {
            PeerConnection c = (PeerConnection) r.peer();
            sends.onChannel(c, () -> c.sendRequests(r.blocks()));
        } else if (a instanceof SwarmAction.SendBlock b) {
            PeerConnection c = (PeerConnection) b.peer();
            sends.sendBlock(c, store, b.block(), b.reportSent());
        } else if (a instanceof SwarmAction.WriteBlock w) {
            session.disk().write(diskEvents, store, w.block(), w.data(), w.verifyPiece(), w.urgent());
        } else if (a instanceof SwarmAction.Send s) {
            PeerConnection c = (PeerConnection) s.peer();
            sends.onChannel(c, () -> c.send(s.message()));
        } else if (a instanceof SwarmAction.Connect c) {
            dialing.add(c.address());
            session.connect(this, loop, c.address());
        } else if (a instanceof SwarmAction.Close cl) {
            PeerConnection c = (PeerConnection) cl.peer();
            sends.onChannel(c, () -> c.close(cl.reason(), cl.misbehaved()));
        } else if (a instanceof SwarmAction.SetFilePriorities p) {
            PieceStore target = store;
            if (target != null) {
                session.disk().afterQueuedWrites(() -> {
                    try {
                        target.setFilePriorities(p.priorities());
                    } catch (IOException | RuntimeException e) {
                        diskEvents.failed("cannot apply file priorities: " + e.getMessage());
                    }
                });
            }
        } else if (a instanceof SwarmAction.SaveResume r) {
            session.disk().saveResume(store, infoHash, r.forced());
        } else if (a instanceof SwarmAction.Completed) {
            completion.complete(null);
        } else if (a instanceof SwarmAction.Failed f) {
            log.error("{}: {}", infoHash.shortHex(), f.reason());
            IOException error = new IOException(f.reason());
            metadata.completeExceptionally(error);
            completion.completeExceptionally(error);
        } else if (a instanceof SwarmAction.Banned b) {
            banListeners.forEach(l -> l.accept(b.address()));
        } else if (a instanceof SwarmAction.MetadataReceived m) {
            metadata.complete(m.metainfo());
            magnetStorage.open(m.metainfo(), opened -> store = opened);
        }
    }

    /** After a batch of events: the batched sends go out, and the session's limits learn of traffic once. */
    private void afterDrain() {
        sends.flush();
        limitMember.afterDrain(core);
    }

    /** The disk thread's reports, as events on the queue. */
    private final DiskWriter.Events diskEvents = new DiskWriter.Events() {
        @Override
        public void pieceChecked(int index, boolean ok) {
            if (ok) {
                verifiedListeners.forEach(l -> l.accept(index));
            }
            post((c, now) -> c.pieceChecked(now, index, ok));
        }

        @Override
        public void failed(String reason) {
            post((c, now) -> c.diskFailed(now, reason));
        }

        @Override
        public void backlogged(boolean over) {
            post((c, now) -> c.diskBacklog(now, over));
        }
    };

    /** A dial ended before the handshake (refused, timed out, or closed early). */
    void dialEnded(InetSocketAddress address) {
        post((c, now) -> {
            if (dialing.remove(address)) {
                c.connectFailed(now, address);
            }
        });
    }

    /**
     * Closes every connection and stops the timer; later events still reach the core, which ignores them.
     * {@code then} runs on the loop once the core has stopped and its last actions were handed on.
     */
    void stop(Runnable then) {
        post((c, now) -> c.stop(now));
        swarmLoop.stopTimer();
        post((c, now) -> then.run());
    }
}
