package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.ext.ExtensionHandshake;
import io.kadtorrent.engine.ext.MetadataLayout;
import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One torrent's swarm as a single-threaded state machine without I/O: connection events, peer wire
 * messages, disk results, timer ticks and commands come in as calls that carry {@code now}
 * (milliseconds from one monotonic clock); what to do comes out as {@link SwarmAction}s the runtime
 * {@link #poll}s after each call. It routes each input to its collaborators: peer wire messages to
 * {@link PeerMessages}, the connection lifecycle (dialling, admitting, closing, bans) to {@link Connections},
 * the piece picker, request pipelining and endgame to {@link Downloads}, uploads and choking to
 * {@link UploadServing}, BEP 9 metadata for magnet links to {@link MetadataExchange}; it keeps the timers,
 * the torrent's settings and completion. Peer sources only offer addresses; the core decides whom to dial.
 * It never reads a clock, never calls back into the runtime, and needs no locks: the Netty runtime and
 * the simulator each drive it from one thread.
 */
public final class SwarmCore {

    static final long TICK_MILLIS = 1_000;
    static final long RECHOKE_MILLIS = Choker.RECHOKE_INTERVAL.toMillis();
    /** BEP 3 peers send a keep-alive about every 2 minutes; this many in one minute is a flood. */
    static final int MAX_KEEP_ALIVES_PER_MINUTE = 20;
    static final long FORCED_SAVE_DELAY_MILLIS = ResumeSaves.FORCED_SAVE_DELAY_MILLIS;
    /** Haves before the metadata (magnet) are kept only for piece counts a valid info dict can hold. */
    public static final int MAX_PIECES_BEFORE_METADATA = MetadataLayout.MAX_TOTAL_BYTES / InfoHash.LENGTH;

    private final InfoHash infoHash;
    private final SwarmConfig config;
    private final RandomGenerator random;
    private final Outbox actions = new Outbox();
    private final ConnectedPeers peers = new ConnectedPeers();
    private final Connections connections;
    private final PeerExchange pex;
    private long nextPexAt = Long.MAX_VALUE;
    private final MetadataExchange metadata;
    private final UploadServing serving;
    private final PeerMessages messages;
    private Metainfo metainfo; // null until the metadata is known (magnet)
    private Downloads downloads; // null until storage is ready
    private long nextTickAt;
    private long nextRechokeAt;
    private final ResumeSaves resumeSaves;
    private List<FilePriority> filePriorities; // null: every file normal
    private boolean sequential;
    private final Throttle upThrottle = Throttle.unlimited();
    private final Throttle downThrottle = Throttle.unlimited();

    private SwarmCore(InfoHash infoHash, SwarmConfig config, RandomGenerator random, long now) {
        this.infoHash = infoHash;
        this.config = config;
        this.random = random;
        this.connections = new Connections(config, peers, actions);
        Choking choking = new Choking(config.unchokeSlots(), random, actions);
        this.pex = new PeerExchange(actions);
        FastExtension fast = new FastExtension(infoHash, actions);
        this.metadata = new MetadataExchange(infoHash, actions, connections, config.listenPort(),
                (at, s, m) -> connections.offer(at, pex.received(at, s, m), false));
        this.serving = new UploadServing(choking, upThrottle, peers, actions);
        this.messages = new PeerMessages(connections, serving, fast, metadata, actions, this::metadataFetched);
        this.nextTickAt = now + TICK_MILLIS;
        this.nextRechokeAt = now + RECHOKE_MILLIS;
        this.resumeSaves = new ResumeSaves(actions, now);
    }

    /** A core for a torrent whose storage is open, with {@code verified} pieces already on disk. */
    public static SwarmCore forTorrent(Metainfo metainfo, BitSet verified, SwarmConfig config, RandomGenerator random,
                                       long now) {
        return forTorrent(metainfo, verified, List.of(), config, random, now);
    }

    /** As {@link #forTorrent(Metainfo, BitSet, SwarmConfig, RandomGenerator, long)}, with each file's priority (empty: all normal). */
    public static SwarmCore forTorrent(Metainfo metainfo, BitSet verified, List<FilePriority> priorities,
                                       SwarmConfig config, RandomGenerator random, long now) {
        SwarmCore core = new SwarmCore(metainfo.infoHash(), config, random, now);
        core.learnMetainfo(metainfo);
        if (!priorities.isEmpty()) {
            core.setFilePriorities(now, priorities);
        }
        core.storageReady(now, verified);
        return core;
    }

    /** A core for a magnet link: fetches the metadata over BEP 9 first ({@link SwarmAction.MetadataReceived}). */
    public static SwarmCore forMagnet(InfoHash infoHash, SwarmConfig config, RandomGenerator random, long now) {
        return new SwarmCore(infoHash, config, random, now);
    }

    // ---- outputs and queries ----

    /** The next action to perform, or null when there is none. */
    public SwarmAction poll() {
        return actions.poll();
    }

    /** When {@link #timer} must be called next. */
    public long nextTimerMillis() {
        long next = Math.min(nextTickAt, connections.nextDialAt());
        next = Math.min(next, serving.throttledUntil());
        return downloads == null ? next : Math.min(next, downloads.throttledUntil());
    }

    /**
     * This torrent's rate limits in bytes per second (0: unlimited), protocol overhead counted; the
     * session's limits, shared by every torrent, apply too.
     */
    public void setRateLimits(long now, long uploadBytesPerSecond, long downloadBytesPerSecond) {
        upThrottle.own().setRate(uploadBytesPerSecond);
        downThrottle.own().setRate(downloadBytesPerSecond);
        serving.serveAll(now);
        refillAll(now);
    }

    /**
     * This torrent's shares of the session's limits, bytes per second (0: none), as {@link LimitShares}
     * divides them; traffic held back waits no longer than the new shares say.
     */
    public void setSessionShares(long now, long uploadBytesPerSecond, long downloadBytesPerSecond) {
        upThrottle.setShare(uploadBytesPerSecond);
        downThrottle.setShare(downloadBytesPerSecond);
        serving.serveAll(now);
        refillAll(now);
    }

    /** True when traffic passed a limit, or a share held it back, since the last {@link #takeLimitUse}. */
    public boolean limitUsePending() {
        return upThrottle.hasUse() || downThrottle.hasUse();
    }

    /** What passed each way since the last call, {upload, download}, for the session's next division. */
    public LimitShares.Use[] takeLimitUse() {
        return new LimitShares.Use[] {upThrottle.takeUse(), downThrottle.takeUse()};
    }

    /**
     * The pieces a reader (a stream) needs next, soonest first: requested before any other, the first few
     * from two peers at once. Replaces the previous list; ignored before storage is ready.
     */
    public void setUrgentPieces(long now, List<Integer> pieces) {
        if (downloads != null) {
            downloads.setUrgent(now, pieces);
        }
    }

    /** The urgent pieces not verified yet, soonest first. */
    public List<Integer> urgentPieces() {
        return downloads == null ? List.of() : downloads.urgent();
    }

    /** Sequential mode: pieces are fetched lowest index first (within a file priority) instead of rarest first. */
    public void setSequential(long now, boolean on) {
        sequential = on;
        if (downloads != null) {
            downloads.setSequential(now, on);
        }
    }

    public boolean isSequential() {
        return sequential;
    }

    /** This torrent's own limits: {upload, download} bytes per second, 0 when unlimited. */
    public long[] rateLimits() {
        return new long[] {upThrottle.own().rate(), downThrottle.own().rate()};
    }

    public InfoHash infoHash() {
        return infoHash;
    }

    public Optional<Metainfo> metainfo() {
        return Optional.ofNullable(metainfo);
    }

    /** True when every wanted piece is verified (every piece, unless files are skipped). */
    public boolean isComplete() {
        return downloads != null && downloads.isComplete();
    }

    /** The user's priority for each file (all {@code normal} unless set); empty before the metadata. */
    public List<FilePriority> filePriorities() {
        if (metainfo == null) {
            return List.of();
        }
        return filePriorities != null ? filePriorities
                : Collections.nCopies(metainfo.files().size(), FilePriority.NORMAL);
    }

    /**
     * Sets each file's priority (one per file of the torrent, which must be known): skipped files are not
     * downloaded, higher ones go first. Takes effect at once: interest, requests and completion follow.
     */
    public void setFilePriorities(long now, List<FilePriority> priorities) {
        if (metainfo == null) {
            throw new IllegalStateException("file priorities need the torrent's metadata");
        }
        byte[] levels = FilePriority.pieceLevels(metainfo.layout(), metainfo.files(), priorities);
        filePriorities = List.copyOf(priorities);
        actions.add(new SwarmAction.SetFilePriorities(filePriorities)); // storage first, before any new request
        if (downloads == null) {
            return; // applied when storage is ready
        }
        boolean wasComplete = downloads.isComplete();
        downloads.setPieceLevels(now, levels);
        if (!wasComplete && downloads.isComplete()) {
            onComplete(now);
        } else if (wasComplete && !downloads.isComplete()) {
            for (PeerState s : peers.all()) {
                if (!s.closing) {
                    metadata.uploadOnlyChanged(s, false); // BEP 21: we download again
                }
            }
            connections.dial(now); // more to fetch: peers that are seeds are worth dialling again
        }
    }

    /** True while the core would dial more peers than it knows addresses for. */
    public boolean needsPeers() {
        return connections.needsPeers();
    }

    public SwarmStats stats() {
        long verifiedBytes = downloads == null ? 0 : downloads.verifiedBytes();
        long total = metainfo == null ? 0 : metainfo.totalBytes();
        long down = downloads == null ? 0 : downloads.downloadedBytes();
        long up = serving.uploadedBytes();
        int connected = peers.open();
        if (downloads == null) {
            return new SwarmStats(down, up, verifiedBytes, total, connected);
        }
        return new SwarmStats(down, up, verifiedBytes, total, connected, downloads.wantedBytes(),
                downloads.wantedVerifiedBytes());
    }

    /** Block bytes received so far from each peer address (at most 1,024 addresses are tracked). */
    public Map<InetSocketAddress, Long> downloadedByPeer() {
        return downloads == null ? Map.of() : downloads.downloadedByPeer();
    }

    public boolean isBanned(InetSocketAddress address) {
        return connections.isBanned(address);
    }

    /** The connected peers' addresses and what we know of each, for status displays. */
    public List<PeerInfo> peers(long now) {
        return connections.infos(now);
    }

    // ---- peer sources and commands ----

    /** Addresses from a source; {@code fromUser} ones (CLI, magnet x.pe) are never forgotten. */
    public void addPeers(long now, Collection<InetSocketAddress> found, boolean fromUser) {
        connections.offer(now, found, fromUser);
    }

    /** Closes every connection and stops dialling until {@link #resume}. */
    public void pause(long now) {
        connections.pause();
    }

    public void resume(long now) {
        connections.resume(now);
    }

    /** Closes every connection, saves resume data and ignores everything after. */
    public void stop(long now) {
        connections.stop();
        if (downloads != null) {
            actions.add(new SwarmAction.SaveResume(false));
        }
    }

    // ---- connection events ----

    /**
     * A handshake for our torrent completed on {@code link} with a peer that offered no extension but,
     * when {@code extensionProtocol}, BEP 10; see {@link #peerConnected(long, PeerLink, InetSocketAddress,
     * Handshake, boolean)}.
     */
    public boolean peerConnected(long now, PeerLink link, InetSocketAddress address, byte[] peerId,
                                 boolean extensionProtocol, boolean outgoing) {
        byte[] reserved = new byte[8];
        if (extensionProtocol) {
            reserved[ExtensionHandshake.RESERVED_BYTE] = ExtensionHandshake.RESERVED_MASK;
        }
        return peerConnected(now, link, address, new Handshake(reserved, infoHash, peerId), outgoing);
    }

    /**
     * A handshake for our torrent completed on {@code link}; {@code remote} is the peer's, whose reserved
     * bits say which of the extensions ours offers (BEP 10, BEP 6 Fast) it speaks too. False when the core
     * refuses the peer (a {@link SwarmAction.Close} for it is queued).
     */
    public boolean peerConnected(long now, PeerLink link, InetSocketAddress address, Handshake remote,
                                 boolean outgoing) {
        PeerState s = connections.admit(now, link, address, remote, outgoing, metainfo == null);
        if (s == null) {
            return false;
        }
        PeerMessage first = FastExtension.announcement(s.fast, downloads == null ? null : downloads.verified(),
                metainfo == null ? 0 : metainfo.pieceCount());
        if (first != null) {
            actions.send(s, first);
        }
        if (remote.supportsExtensionProtocol()) {
            metadata.peerConnected(s, isComplete()); // after the bitfield, which BEP 3 wants first
            pex.peerConnected(now, s);
            nextPexAt = Math.min(nextPexAt, now + PeerExchange.FIRST_SEND_MILLIS);
        }
        return true;
    }

    /** Dialling {@code address} failed (refused, timed out, or closed before the handshake). */
    public void connectFailed(long now, InetSocketAddress address) {
        connections.failed(now, address);
    }

    /** The runtime's report that a burst of blocks sent to the peer left our buffers. */
    public void peerSent(long now, PeerLink link) {
        PeerState s = peers.get(link);
        if (s != null) {
            serving.burstSent(now, s);
        }
    }

    /** The connection ended, for any reason (also after a {@link SwarmAction.Close} the core asked for). */
    public void peerClosed(long now, PeerLink link) {
        PeerState s = connections.closed(link);
        if (s == null) {
            return;
        }
        // judged before peerGone clears what it had: a seed is not dialled again once we are complete too
        boolean seed = s.uploadOnly || metainfo != null && s.pieces.cardinality() == metainfo.pieceCount();
        if (downloads != null) {
            downloads.peerGone(s);
        }
        metadata.peerGone(link);
        pex.peerGone(link);
        connections.redialLater(now, s, seed);
        serving.peerGone(now, s);
        refillAll(now);
        connections.dial(now);
    }

    // ---- messages ----

    /** One message from a connected peer. The core takes ownership of a {@link PeerMessage.Piece}'s block. */
    public void peerMessage(long now, PeerLink link, PeerMessage m) {
        messages.receive(now, link, m);
    }

    /** A magnet's BEP 9 fetch completed the info dictionary. */
    private void metadataFetched(Metainfo m) {
        learnMetainfo(m);
        actions.add(new SwarmAction.MetadataReceived(metainfo));
    }

    private void learnMetainfo(Metainfo m) {
        this.metainfo = m;
        metadata.learn(m);
        messages.metadataKnown(m);
        if (m.isPrivate()) {
            pex.turnOff(); // BEP 27: its peers come from its trackers only
        }
    }

    // ---- storage events ----

    /**
     * Storage for the torrent is open with {@code verified} pieces on disk: downloading and serving start.
     * A magnet download's runtime calls this after {@link SwarmAction.MetadataReceived}.
     */
    public void storageReady(long now, BitSet verified) {
        if (metainfo == null || downloads != null) {
            throw new IllegalStateException("storage is ready only once, after the metadata");
        }
        downloads = new Downloads(metainfo, verified, random, peers.all(), actions, connections, downThrottle,
                config.redundantHaves());
        connections.downloadsStarted(downloads);
        downloads.setSequential(now, sequential);
        if (filePriorities != null) {
            downloads.setPieceLevels(now, FilePriority.pieceLevels(metainfo.layout(), metainfo.files(), filePriorities));
        }
        serving.start(new Uploads(metainfo.layout()), downloads);
        messages.storageReady(now, downloads, verified);
        if (downloads.isComplete()) {
            actions.add(new SwarmAction.Completed());
        }
        connections.dial(now);
    }

    /** Piece {@code index} was written and hashed: {@code ok} when it matched. */
    public void pieceChecked(long now, int index, boolean ok) {
        if (downloads == null || connections.isStopped()) {
            return;
        }
        List<PeerLink> from = downloads.pieceChecked(index, ok);
        if (ok) {
            resumeSaves.pieceVerified();
            if (downloads.isComplete()) {
                onComplete(now);
            }
            return;
        }
        connections.blame(from, index);
        refillAll(now);
    }

    /** The disk writer's queue went over its high-water mark ({@code true}) or back under its low one. */
    public void diskBacklog(long now, boolean backlogged) {
        if (downloads != null) {
            downloads.setBacklogged(backlogged);
            if (!backlogged) {
                refillAll(now);
            }
        }
    }

    /** Storage failed: the download cannot go on. */
    public void diskFailed(long now, String reason) {
        actions.add(new SwarmAction.Failed("storage failed: " + reason));
    }

    private void onComplete(long now) {
        for (PeerState s : List.copyOf(peers.all())) {
            if (!s.closing && !messages.closeIfNothingToTrade(s)) {
                metadata.uploadOnlyChanged(s, true); // BEP 21, so it stops counting us as a source
            }
        }
        serving.seedingStarted(now);
        actions.add(new SwarmAction.Completed()); // every piece was hashed as written, and matched
        resumeSaves.completed(now);
    }

    // ---- time ----

    /** Periodic work: request timeouts, metadata retries, rechoking every 10 s, dialling due addresses. */
    public void timer(long now) {
        serving.timer(now);
        if (downloads != null && now >= downloads.throttledUntil()) {
            downloads.throttleWaitOver(now);
        }
        if (now >= nextPexAt) {
            nextPexAt = pex.tick(now, peers.byLink());
        }
        if (now >= nextTickAt) {
            nextTickAt = now + TICK_MILLIS;
            tick(now);
        }
        resumeSaves.timer(now, isComplete(), connections.isStopped());
        if (now >= nextRechokeAt) {
            nextRechokeAt = now + RECHOKE_MILLIS;
            serving.rechoke(now);
        }
        connections.dial(now);
    }

    /** Once a second: requests that timed out go to other peers; a magnet asks again for missing metadata. */
    private void tick(long now) {
        if (downloads != null) {
            boolean timedOut = false;
            for (PeerState s : peers.all()) {
                timedOut |= downloads.timeOutRequests(now, s);
            }
            if (timedOut) {
                refillAll(now); // the blocks given back go to peers with room
            }
        } else {
            metadata.requestMissing(now, peers.byLink());
        }
    }

    private void refillAll(long now) {
        if (downloads != null) {
            downloads.refillAll(now);
        }
    }
}
