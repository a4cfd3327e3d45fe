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
 * {@link UploadServing}, BEP 9 metadata for magnet links to {@link MetadataExchange}, the metainfo, storage
 * and file wants to {@link Content}, the timers to {@link PeriodicWork}; it keeps the rate limits and
 * completion. Peer sources only offer addresses; the core decides whom to dial.
 * It never reads a clock, never calls back into the runtime, and needs no locks: the Netty runtime and
 * the simulator each drive it from one thread.
 */
public final class SwarmCore {

    static final long RECHOKE_MILLIS = PeriodicWork.RECHOKE_MILLIS;
    /** BEP 3 peers send a keep-alive about every 2 minutes; this many in one minute is a flood. */
    static final int MAX_KEEP_ALIVES_PER_MINUTE = 20;
    static final long FORCED_SAVE_DELAY_MILLIS = ResumeSaves.FORCED_SAVE_DELAY_MILLIS;
    /** Haves before the metadata (magnet) are kept only for piece counts a valid info dict can hold. */
    public static final int MAX_PIECES_BEFORE_METADATA = MetadataLayout.MAX_TOTAL_BYTES / InfoHash.LENGTH;

    private final InfoHash infoHash;
    private final Outbox actions = new Outbox();
    private final ConnectedPeers peers = new ConnectedPeers();
    private final Connections connections;
    private final PeerExchange pex;
    private final MetadataExchange metadata;
    private final UploadServing serving;
    private final PeerMessages messages;
    private final Content content;
    private final ResumeSaves resumeSaves;
    private final PeriodicWork periodic;
    private final Throttle upThrottle = Throttle.unlimited();
    private final Throttle downThrottle = Throttle.unlimited();

    private SwarmCore(InfoHash infoHash, SwarmConfig config, RandomGenerator random, long now) {
        this.infoHash = infoHash;
        this.connections = new Connections(config, peers, actions);
        Choking choking = new Choking(config.unchokeSlots(), random, actions);
        this.pex = new PeerExchange(actions);
        FastExtension fast = new FastExtension(infoHash, actions);
        this.metadata = new MetadataExchange(infoHash, actions, connections, config.listenPort(),
                (at, s, m) -> connections.offer(at, pex.received(at, s, m), false));
        this.serving = new UploadServing(choking, upThrottle, peers, actions);
        this.messages = new PeerMessages(connections, serving, fast, metadata, actions, this::metadataFetched);
        this.content = new Content(config, random, peers, actions, connections, downThrottle);
        this.resumeSaves = new ResumeSaves(actions, now);
        this.periodic = new PeriodicWork(peers, connections, serving, pex, metadata, resumeSaves, now);
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
        return periodic.nextRunMillis(content.downloads());
    }

    /**
     * This torrent's rate limits in bytes per second (0: unlimited), protocol overhead counted; the
     * session's limits, shared by every torrent, apply too.
     */
    public void setRateLimits(long now, long uploadBytesPerSecond, long downloadBytesPerSecond) {
        upThrottle.own().setRate(uploadBytesPerSecond);
        downThrottle.own().setRate(downloadBytesPerSecond);
        serving.serveAll(now);
        content.refillAll(now);
    }

    /**
     * This torrent's shares of the session's limits, bytes per second (0: none), as {@link LimitShares}
     * divides them; traffic held back waits no longer than the new shares say.
     */
    public void setSessionShares(long now, long uploadBytesPerSecond, long downloadBytesPerSecond) {
        upThrottle.setShare(uploadBytesPerSecond);
        downThrottle.setShare(downloadBytesPerSecond);
        serving.serveAll(now);
        content.refillAll(now);
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
        content.setUrgent(now, pieces);
    }

    /** The urgent pieces not verified yet, soonest first. */
    public List<Integer> urgentPieces() {
        return content.urgent();
    }

    /** Sequential mode: pieces are fetched lowest index first (within a file priority) instead of rarest first. */
    public void setSequential(long now, boolean on) {
        content.setSequential(now, on);
    }

    public boolean isSequential() {
        return content.isSequential();
    }

    /** This torrent's own limits: {upload, download} bytes per second, 0 when unlimited. */
    public long[] rateLimits() {
        return new long[] {upThrottle.own().rate(), downThrottle.own().rate()};
    }

    public InfoHash infoHash() {
        return infoHash;
    }

    public Optional<Metainfo> metainfo() {
        return Optional.ofNullable(content.metainfo());
    }

    /** True when every wanted piece is verified (every piece, unless files are skipped). */
    public boolean isComplete() {
        return content.isComplete();
    }

    /** The user's priority for each file (all {@code normal} unless set); empty before the metadata. */
    public List<FilePriority> filePriorities() {
        return content.filePriorities();
    }

    /**
     * Sets each file's priority (one per file of the torrent, which must be known): skipped files are not
     * downloaded, higher ones go first. Takes effect at once: interest, requests and completion follow.
     */
    public void setFilePriorities(long now, List<FilePriority> priorities) {
        boolean wasComplete = isComplete();
        if (!content.setFilePriorities(now, priorities)) {
            return; // applied when storage is ready
        }
        if (!wasComplete && isComplete()) {
            onComplete(now);
        } else if (wasComplete && !isComplete()) {
            metadata.downloadingAgain(peers.all()); // BEP 21
            connections.dial(now); // more to fetch: peers that are seeds are worth dialling again
        }
    }

    /** True while the core would dial more peers than it knows addresses for. */
    public boolean needsPeers() {
        return connections.needsPeers();
    }

    public SwarmStats stats() {
        return content.stats(serving.uploadedBytes(), peers.open());
    }

    /** Block bytes received so far from each peer address (at most 1,024 addresses are tracked). */
    public Map<InetSocketAddress, Long> downloadedByPeer() {
        return content.downloadedByPeer();
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
        if (content.downloads() != null) {
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
        PeerState s = connections.admit(now, link, address, remote, outgoing, content.metainfo() == null);
        if (s == null) {
            return false;
        }
        PeerMessage first = content.announcement(s);
        if (first != null) {
            actions.send(s, first);
        }
        if (remote.supportsExtensionProtocol()) {
            metadata.peerConnected(s, isComplete()); // after the bitfield, which BEP 3 wants first
            pex.peerConnected(now, s);
            periodic.pexStarted(now);
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
        boolean seed = content.isSeed(s); // before peerGone clears what it had
        content.peerGone(s);
        metadata.peerGone(link);
        pex.peerGone(link);
        connections.redialLater(now, s, seed);
        serving.peerGone(now, s);
        content.refillAll(now);
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
        actions.add(new SwarmAction.MetadataReceived(m));
    }

    private void learnMetainfo(Metainfo m) {
        content.learn(m);
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
        Downloads downloads = content.storageReady(now, verified);
        serving.start(new Uploads(content.metainfo().layout()), downloads);
        messages.storageReady(now, downloads, verified);
        if (downloads.isComplete()) {
            actions.add(new SwarmAction.Completed());
        }
        connections.dial(now);
    }

    /** Piece {@code index} was written and hashed: {@code ok} when it matched. */
    public void pieceChecked(long now, int index, boolean ok) {
        Downloads downloads = content.downloads();
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
        content.refillAll(now);
    }

    /** The disk writer's queue went over its high-water mark ({@code true}) or back under its low one. */
    public void diskBacklog(long now, boolean backlogged) {
        content.diskBacklog(now, backlogged);
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
        periodic.run(now, content.downloads());
    }
}
