package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.ext.ExtensionCodec;
import io.kadtorrent.engine.ext.ExtensionHandshake;
import io.kadtorrent.engine.ext.MetadataLayout;
import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.swarm.AddressBook.Origin;
import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.engine.wire.PeerMessage.AllowedFast;
import io.kadtorrent.engine.wire.PeerMessage.Bitfield;
import io.kadtorrent.engine.wire.PeerMessage.Cancel;
import io.kadtorrent.engine.wire.PeerMessage.Choke;
import io.kadtorrent.engine.wire.PeerMessage.Extended;
import io.kadtorrent.engine.wire.PeerMessage.FastMessage;
import io.kadtorrent.engine.wire.PeerMessage.Have;
import io.kadtorrent.engine.wire.PeerMessage.HaveAll;
import io.kadtorrent.engine.wire.PeerMessage.HaveNone;
import io.kadtorrent.engine.wire.PeerMessage.Interested;
import io.kadtorrent.engine.wire.PeerMessage.KeepAlive;
import io.kadtorrent.engine.wire.PeerMessage.NotInterested;
import io.kadtorrent.engine.wire.PeerMessage.Piece;
import io.kadtorrent.engine.wire.PeerMessage.Port;
import io.kadtorrent.engine.wire.PeerMessage.RejectRequest;
import io.kadtorrent.engine.wire.PeerMessage.Request;
import io.kadtorrent.engine.wire.PeerMessage.SuggestPiece;
import io.kadtorrent.engine.wire.PeerMessage.Unchoke;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One torrent's swarm as a single-threaded state machine without I/O: connection events, peer wire
 * messages, disk results, timer ticks and commands come in as calls that carry {@code now}
 * (milliseconds from one monotonic clock); what to do comes out as {@link SwarmAction}s the runtime
 * {@link #poll}s after each call. It holds the piece picker, request pipelining and endgame
 * ({@link Downloads}), uploads and choking, bans, BEP 9 metadata assembly for magnet links, the Fast
 * extension ({@link FastExtension}), and the addresses it may dial: peer sources only offer addresses,
 * the core decides whom to dial.
 * It never reads a clock, never calls back into the runtime, and needs no locks: the Netty runtime and
 * the simulator each drive it from one thread.
 */
public final class SwarmCore {

    static final long TICK_MILLIS = 1_000;
    static final long RECHOKE_MILLIS = Choker.RECHOKE_INTERVAL.toMillis();
    /** BEP 3 peers send a keep-alive about every 2 minutes; this many in one minute is a flood. */
    static final int MAX_KEEP_ALIVES_PER_MINUTE = 20;
    /** While downloading, resume data is saved (unforced) this often when pieces were verified since. */
    static final long RESUME_SAVE_MILLIS = 60_000;
    /** Once complete, the data is forced to disk this much later, off the path of a user who exits at once. */
    static final long FORCED_SAVE_DELAY_MILLIS = 30_000;
    /** Haves before the metadata (magnet) are kept only for piece counts a valid info dict can hold. */
    public static final int MAX_PIECES_BEFORE_METADATA = MetadataLayout.MAX_TOTAL_BYTES / InfoHash.LENGTH;

    private final InfoHash infoHash;
    private final SwarmConfig config;
    private final PeerExchange pex;
    private final FastExtension fast;
    private long nextPexAt = Long.MAX_VALUE;
    private final RandomGenerator random;
    private final Outbox actions = new Outbox();
    private final Map<PeerLink, PeerState> peers = new LinkedHashMap<>();
    /**
     * The last link {@link #peer} found and its state: a runtime hands over a connection's messages one after
     * another, so most lookups skip the map. Forgotten whenever {@link #peers} gains or loses an entry.
     */
    private PeerLink lastLink;
    private PeerState lastPeer;
    /** The peers not closing, by peer_id: a handshake finds its twin without a walk over every peer. */
    private final Map<ByteBuffer, PeerState> byPeerId = new HashMap<>();
    private final AddressBook addresses = new AddressBook();
    private final PeerBans bans = new PeerBans();
    private final Choking choking;
    private final MetadataExchange metadata;
    private Metainfo metainfo; // null until the metadata is known (magnet)
    private Downloads downloads; // null until storage is ready
    private Uploads uploads;
    private long nextTickAt;
    private long nextRechokeAt;
    private long nextResumeSaveAt;
    private long forcedSaveAt = Long.MAX_VALUE;
    private boolean verifiedSinceSave;
    private boolean paused;
    private boolean stopped;
    private List<FilePriority> filePriorities; // null: every file normal
    private boolean sequential;
    private final Throttle upThrottle = Throttle.unlimited();
    private final Throttle downThrottle = Throttle.unlimited();
    /** When uploads held back by the upload limit may go (Long.MAX_VALUE: none is held back). */
    private long uploadThrottledUntil = Long.MAX_VALUE;

    private SwarmCore(InfoHash infoHash, SwarmConfig config, RandomGenerator random, long now) {
        this.infoHash = infoHash;
        this.config = config;
        this.random = random;
        this.choking = new Choking(config.unchokeSlots(), random, actions);
        this.pex = new PeerExchange(actions);
        this.fast = new FastExtension(infoHash, actions);
        this.metadata = new MetadataExchange(infoHash, actions, this::drop, config.listenPort(),
                (at, s, m) -> addPeers(at, pex.received(at, s, m), false));
        this.nextTickAt = now + TICK_MILLIS;
        this.nextRechokeAt = now + RECHOKE_MILLIS;
        this.nextResumeSaveAt = now + RESUME_SAVE_MILLIS;
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
        // no room to dial: a due address waits for the next tick, else the runtime's timer would spin
        long next = dialRoom() > 0 ? Math.min(nextTickAt, addresses.nextDueAt(isComplete())) : nextTickAt;
        next = Math.min(next, uploadThrottledUntil);
        return downloads == null ? next : Math.min(next, downloads.throttledUntil());
    }

    /**
     * This torrent's rate limits in bytes per second (0: unlimited), protocol overhead counted; the
     * session's limits, shared by every torrent, apply too.
     */
    public void setRateLimits(long now, long uploadBytesPerSecond, long downloadBytesPerSecond) {
        upThrottle.own().setRate(uploadBytesPerSecond);
        downThrottle.own().setRate(downloadBytesPerSecond);
        serveUploads(now, null);
        refillAll(now);
    }

    /**
     * This torrent's shares of the session's limits, bytes per second (0: none), as {@link LimitShares}
     * divides them; traffic held back waits no longer than the new shares say.
     */
    public void setSessionShares(long now, long uploadBytesPerSecond, long downloadBytesPerSecond) {
        upThrottle.setShare(uploadBytesPerSecond);
        downThrottle.setShare(downloadBytesPerSecond);
        serveUploads(now, null);
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
            for (PeerState s : peers.values()) {
                if (!s.closing) {
                    metadata.uploadOnlyChanged(s, false); // BEP 21: we download again
                }
            }
            dial(now); // more to fetch: peers that are seeds are worth dialling again
        }
    }

    /** True while the core would dial more peers than it knows addresses for. */
    public boolean needsPeers() {
        return !stopped && !paused && peers.size() + addresses.connecting() + addresses.dialable(isComplete())
                < config.maxPeers();
    }

    public SwarmStats stats() {
        long verifiedBytes = downloads == null ? 0 : downloads.verifiedBytes();
        long total = metainfo == null ? 0 : metainfo.totalBytes();
        long down = downloads == null ? 0 : downloads.downloadedBytes();
        long up = uploads == null ? 0 : uploads.uploadedBytes();
        int connected = 0;
        for (PeerState s : peers.values()) {
            connected += s.closing ? 0 : 1; // one we asked to close is no peer of ours any more
        }
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
        return bans.isBanned(address) || addresses.isBanned(address);
    }

    /** The connected peers' addresses and what we know of each, for status displays. */
    public List<PeerInfo> peers(long now) {
        List<PeerInfo> out = new ArrayList<>(peers.size());
        for (PeerState s : peers.values()) {
            if (s.closing) {
                continue; // asked to close: no longer a peer of ours, though its close is not reported yet
            }
            AddressBook.Origin origin = s.outgoing ? addresses.originOf(s.address) : null;
            String source = !s.outgoing ? PeerInfo.INCOMING : origin == AddressBook.Origin.USER ? PeerInfo.GIVEN
                    : PeerInfo.FOUND;
            out.add(new PeerInfo(s.address, s.outgoing, s.pieces.cardinality(), (long) s.rateBytesPerSecond(),
                    s.uploadRate.bytesPerSecond(now), s.amChoking, s.peerChoking, s.peerId.clone(), source,
                    s.link.isEncrypted()));
        }
        return out;
    }

    // ---- peer sources and commands ----

    /** Addresses from a source; {@code fromUser} ones (CLI, magnet x.pe) are never forgotten. */
    public void addPeers(long now, Collection<InetSocketAddress> found, boolean fromUser) {
        for (InetSocketAddress a : found) {
            if (!bans.isBanned(a)) {
                addresses.offer(a, fromUser ? Origin.USER : Origin.FOUND, now);
            }
        }
        dial(now);
    }

    /** Closes every connection and stops dialling until {@link #resume}. */
    public void pause(long now) {
        paused = true;
        closeAll("paused");
    }

    public void resume(long now) {
        paused = false;
        dial(now);
    }

    /** Closes every connection, saves resume data and ignores everything after. */
    public void stop(long now) {
        closeAll("torrent removed");
        stopped = true;
        if (downloads != null) {
            actions.add(new SwarmAction.SaveResume(false));
        }
    }

    private void closeAll(String reason) {
        for (PeerState s : List.copyOf(peers.values())) {
            close(s, reason, false);
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
        byte[] peerId = remote.peerId();
        boolean extensionProtocol = remote.supportsExtensionProtocol();
        if (outgoing) {
            addresses.connected(address);
        }
        String refusal = refusal(address, peerId, extensionProtocol);
        PeerState twin = refusal == null ? connectedAs(peerId) : null;
        if (twin != null && !replaces(twin, outgoing)) {
            refusal = "already connected to this peer";
        }
        if (refusal != null) {
            actions.add(new SwarmAction.Close(link, refusal, false));
            if (outgoing && bans.isBanned(address, peerId)) {
                addresses.ban(address); // banned by peer_id on another address: never dial this one again
            } else if (outgoing && twin != null) {
                addresses.duplicate(address, now);
            } else if (outgoing) {
                addresses.closed(address, now, false);
            }
            return false;
        }
        if (twin != null) {
            close(twin, "a second connection to the same peer replaces this one", false);
        }
        PeerState s = new PeerState(link, address, peerId, outgoing, now);
        s.fast = remote.supportsFast(); // ours always offers it
        peers.put(link, s);
        lastLink = null;
        byPeerId.put(ByteBuffer.wrap(s.peerId), s);
        PeerMessage first = FastExtension.announcement(s.fast, downloads == null ? null : downloads.verified(),
                metainfo == null ? 0 : metainfo.pieceCount());
        if (first != null) {
            send(s, first);
        }
        if (extensionProtocol) {
            metadata.peerConnected(s, isComplete()); // after the bitfield, which BEP 3 wants first
            pex.peerConnected(now, s);
            nextPexAt = Math.min(nextPexAt, now + PeerExchange.FIRST_SEND_MILLIS);
        }
        return true;
    }

    /** The connected peer with this peer_id, or null. */
    private PeerState connectedAs(byte[] peerId) {
        PeerState s = byPeerId.get(ByteBuffer.wrap(peerId));
        return s == null || s.closing ? null : s;
    }

    /**
     * Whether a new connection to the peer behind {@code twin} should replace it. When two peers dial each
     * other at once, both sides must keep the same one: the connection opened by the smaller peer_id.
     * Without our own peer_id, or when both go the same way, the older one stays.
     */
    private boolean replaces(PeerState twin, boolean newIsOutgoing) {
        if (config.ourPeerId().isEmpty() || twin.outgoing == newIsOutgoing) {
            return false;
        }
        boolean weAreSmaller = config.ourPeerId().compareTo(HexFormat.of().formatHex(twin.peerId)) < 0;
        return newIsOutgoing == weAreSmaller; // keep the one the smaller side opened
    }

    private String refusal(InetSocketAddress address, byte[] peerId, boolean extensionProtocol) {
        if (stopped || paused) {
            return stopped ? "torrent removed" : "torrent paused";
        }
        if (bans.isBanned(address, peerId) || addresses.isBanned(address)) {
            return "banned";
        }
        if (peers.size() >= config.maxPeers()) {
            return "peer limit of " + config.maxPeers() + " reached";
        }
        if (metainfo == null && !extensionProtocol) {
            return "no BEP 10, so no metadata from this peer"; // a magnet needs BEP 9
        }
        return null;
    }

    /** Dialling {@code address} failed (refused, timed out, or closed before the handshake). */
    public void connectFailed(long now, InetSocketAddress address) {
        addresses.failed(address, now);
        dial(now);
    }

    /** The runtime's report that a burst of blocks sent to the peer left our buffers. */
    public void peerSent(long now, PeerLink link) {
        PeerState s = peer(link);
        if (s != null && uploads != null) {
            s.burstsInFlight = Math.max(0, s.burstsInFlight - 1);
            serveAndHandOnASpentSlot(now, s);
        }
    }

    /** The connection ended, for any reason (also after a {@link SwarmAction.Close} the core asked for). */
    public void peerClosed(long now, PeerLink link) {
        PeerState s = peers.remove(link);
        lastLink = null;
        lastPeer = null;
        if (s == null) {
            return;
        }
        byPeerId.remove(ByteBuffer.wrap(s.peerId), s);
        bans.forget(link);
        if (downloads != null) {
            downloads.peerGone(s);
        }
        metadata.peerGone(link);
        pex.peerGone(link);
        if (s.outgoing) {
            boolean seed = s.uploadOnly || metainfo != null && s.pieces.cardinality() == metainfo.pieceCount();
            addresses.closed(s.address, now, seed);
        }
        if (uploads != null) {
            uploads.forget(s);
            choking.lostInterestOrGone(now, isComplete(), s, peers.values(), uploads);
        }
        refillAll(now);
        dial(now);
    }

    // ---- messages ----

    /** One message from a connected peer. The core takes ownership of a {@link Piece}'s block. */
    public void peerMessage(long now, PeerLink link, PeerMessage m) {
        PeerState s = peer(link);
        if (s == null || s.closing) {
            if (m instanceof Piece p) {
                p.release();
            }
            return;
        }
        if (m instanceof Piece p) {
            onPiece(now, s, p);
        } else if (m instanceof Request r) {
            onRequest(now, s, r);
        } else if (m instanceof Have h) {
            onHave(now, s, h.pieceIndex());
        } else if (m instanceof Bitfield b) {
            onBitfield(now, s, b);
        } else if (m instanceof Choke) {
            s.peerChoking = true;
            if (downloads != null && !s.fast) {
                downloads.dropInFlight(s); // BEP 3: a choke discards every request we had pending
            } // BEP 6: the peer rejects each request it drops, and may still serve its allowed-fast pieces
        } else if (m instanceof Unchoke) {
            boolean overdrawn = overdrawn(s);
            s.peerChoking = false;
            s.rejectedPieces.clear();
            s.lastProgressAt = now;
            fill(now, s);
            serveIfCreditCleared(now, s, overdrawn);
        } else if (m instanceof Interested) {
            s.peerInterested = true;
            if (uploads != null) {
                choking.interested(now, s, peers.values(), uploads);
            }
        } else if (m instanceof NotInterested) {
            s.peerInterested = false;
            if (uploads != null) {
                choking.lostInterestOrGone(now, isComplete(), s, peers.values(), uploads);
            }
        } else if (m instanceof Cancel x) {
            if (s.uploadQueue.remove(x.block())) {
                fast.refuse(s, x.block()); // BEP 6: every request gets a block or a reject, even a cancelled one
            }
        } else if (m instanceof Port port) {
            s.dhtPort = port.port();
        } else if (m instanceof Extended e) {
            onExtended(now, s, e);
        } else if (m instanceof KeepAlive) {
            onKeepAlive(now, s);
        } else if (m instanceof FastMessage f) {
            onFast(now, s, f);
        }
    }

    /** The state of connected {@code link}, or null. */
    private PeerState peer(PeerLink link) {
        if (link == lastLink) {
            return lastPeer;
        }
        PeerState s = peers.get(link);
        if (s != null) {
            lastLink = link;
            lastPeer = s;
        }
        return s;
    }

    private void onPiece(long now, PeerState s, Piece p) {
        if (downloads == null) {
            p.release();
            drop(s, "sent a block before we could ask for one", false); // nothing was asked for yet
            return;
        }
        boolean overdrawn = overdrawn(s);
        downloads.onPiece(now, s, p);
        serveIfCreditCleared(now, s, overdrawn);
    }

    private boolean overdrawn(PeerState s) {
        return uploads != null && uploads.overdrawn(s);
    }

    /**
     * {@code s} was {@link Uploads#overdrawn overdrawn} and no longer is (it unchoked us or sent a block): the
     * requests it queued meanwhile are served now, not left waiting for a burst report that never comes.
     */
    private void serveIfCreditCleared(long now, PeerState s, boolean wasOverdrawn) {
        if (wasOverdrawn && !s.closing && !overdrawn(s)) {
            serveUploads(now, s);
        }
    }

    private void onRequest(long now, PeerState s, Request r) {
        if (uploads == null) {
            fast.refuse(s, r.block()); // we have nothing yet and never said otherwise
            return;
        }
        String problem = uploads.problem(r);
        if (problem != null) {
            drop(s, problem, false);
            return;
        }
        switch (uploads.enqueue(s, r, downloads.verified())) {
            case QUEUED -> serveAndHandOnASpentSlot(now, s);
            case REFUSED -> fast.refuse(s, r.block());
            case OVERFLOW -> drop(s, "more than " + Uploads.MAX_QUEUED_REQUESTS + " queued requests", false);
        }
    }

    /**
     * Serves {@code s}; if that spent its credit ({@link Uploads#overdrawn}), its slot goes to a peer waiting for
     * one, if any.
     */
    private void serveAndHandOnASpentSlot(long now, PeerState s) {
        boolean overdrawn = overdrawn(s);
        serveUploads(now, s);
        if (!overdrawn && overdrawn(s)) {
            choking.overdrawn(now, isComplete(), s, peers.values(), uploads);
        }
    }

    /**
     * Hands queued blocks to the runtime: all {@code s} may have when there is no upload limit, else the
     * limit's share for every waiting peer ({@code s} may be null then).
     */
    private void serveUploads(long now, PeerState s) {
        if (uploads == null) {
            return;
        }
        if (upThrottle.isUnlimited()) {
            if (s != null) {
                uploads.drain(s, now, this::sendBlock);
            } else {
                peers.values().stream().filter(p -> !p.closing).forEach(p -> uploads.drain(p, now, this::sendBlock));
            }
            return;
        }
        if (uploads.drainLimited(peers.values(), now, this::sendBlock, upThrottle)) {
            long cost = Uploads.cost(BlockRequest.BLOCK_SIZE);
            uploadThrottledUntil = Math.min(uploadThrottledUntil, now + Math.max(1, upThrottle.millisUntil(now, cost)));
        }
    }

    private void onHave(long now, PeerState s, int index) {
        int limit = metainfo == null ? MAX_PIECES_BEFORE_METADATA : metainfo.pieceCount();
        if (index >= limit) {
            drop(s, "have for piece " + index + " of " + limit, false);
            return;
        }
        if (s.pieces.get(index)) {
            return;
        }
        s.pieces.set(index);
        if (uploads != null) {
            uploads.announced(s, index);
        }
        if (downloads != null) {
            downloads.onHave(now, s, index);
            if (isComplete()) {
                closeIfNothingToTrade(s);
            }
        }
    }

    private void onBitfield(long now, PeerState s, Bitfield b) {
        if (downloads == null) {
            // before the metadata, or before its storage is open: checked once storage is ready
            s.earlyBitfield = b.bits(); // bounded by the frame cap
            return;
        }
        String problem = downloads.onBitfield(now, s, b.bits());
        if (problem != null) {
            drop(s, problem, false);
        } else {
            piecesKnown(s);
        }
    }

    /** BEP 6 have_all / have_none: a bitfield of every piece or of none. */
    private void onHaveAllOrNone(long now, PeerState s, boolean all) {
        if (metainfo == null || downloads == null) {
            s.earlyHaveAll = all; // before the piece count is known or storage is open: applied at storageReady
            s.earlyBitfield = null;
            return;
        }
        BitSet pieces = new BitSet();
        pieces.set(0, all ? metainfo.pieceCount() : 0);
        onBitfield(now, s, Bitfield.of(pieces, metainfo.pieceCount()));
    }

    /** What the peer has is known (a bitfield or its BEP 6 stand-ins): a seed leaves a seed; Fast offers. */
    private void piecesKnown(PeerState s) {
        if (isComplete() && closeIfNothingToTrade(s)) {
            return;
        }
        fast.offerAllowedFast(s, downloads.verified(), metainfo.pieceCount());
    }

    /**
     * We want no more pieces: a peer that wants none either (a seed, BEP 21 upload_only) only takes a slot,
     * so it is closed; true when it was.
     */
    private boolean closeIfNothingToTrade(PeerState s) {
        if (s.pieces.nextClearBit(0) >= metainfo.pieceCount()) { // cheaper than a count on every have
            close(s, "both sides are seeds", false);
            return true;
        }
        if (s.uploadOnly) {
            close(s, "neither side wants pieces (BEP 21 upload_only)", false);
            return true;
        }
        return false;
    }

    /** A BEP 6 message; a peer that did not set the Fast bit may send none. */
    private void onFast(long now, PeerState s, FastMessage m) {
        if (!s.fast) {
            drop(s, "sent " + m + " without the Fast extension bit (BEP 6)", false);
            return;
        }
        int limit = metainfo == null ? MAX_PIECES_BEFORE_METADATA : metainfo.pieceCount();
        if (m instanceof HaveAll || m instanceof HaveNone) {
            onHaveAllOrNone(now, s, m instanceof HaveAll);
        } else if (m instanceof RejectRequest r) {
            if (downloads != null && downloads.onReject(s, r.block())) {
                refillAll(now); // the block goes to another peer
            }
        } else if (m instanceof AllowedFast a) {
            if (metainfo != null && !fast.onAllowedFast(s, a.pieceIndex(), metainfo.pieceCount())) {
                drop(s, "allowed fast for piece " + a.pieceIndex() + " of " + limit, false);
            } else if (s.peerChoking) {
                fill(now, s);
            }
        } else if (m instanceof SuggestPiece p && p.pieceIndex() >= limit) {
            drop(s, "suggested piece " + p.pieceIndex() + " of " + limit, false); // a valid one is only a hint
        }
    }

    private void onKeepAlive(long now, PeerState s) {
        if (now - s.keepAliveWindowStart >= 60_000) {
            s.keepAliveWindowStart = now;
            s.keepAlives = 0;
        }
        if (++s.keepAlives > MAX_KEEP_ALIVES_PER_MINUTE) {
            drop(s, "more than " + MAX_KEEP_ALIVES_PER_MINUTE + " keep-alives in a minute", true);
        }
    }

    private void onExtended(long now, PeerState s, Extended e) {
        Optional<Metainfo> fetched = metadata.onExtended(now, s, e, peers);
        if (fetched.isPresent() && metainfo == null) {
            learnMetainfo(fetched.get());
            actions.add(new SwarmAction.MetadataReceived(metainfo));
        }
        if (e.extendedId() == ExtensionCodec.HANDSHAKE_ID && !s.closing && s.extensions != null) {
            s.extensions.remote().ifPresent(h -> onExtensionHandshake(s, h));
        }
    }

    /** The peer's BEP 10 handshake (again, possibly): its {@code reqq} caps our pipeline, BEP 21 upload_only. */
    private void onExtensionHandshake(PeerState s, ExtensionHandshake h) {
        s.requestCap = h.requestQueueDepth().orElse(Integer.MAX_VALUE);
        s.uploadOnly = h.uploadOnly();
        if (isComplete()) {
            closeIfNothingToTrade(s);
        }
    }

    private void learnMetainfo(Metainfo m) {
        this.metainfo = m;
        metadata.learn(m);
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
        downloads = new Downloads(metainfo, verified, random, peers.values(), actions, this::drop, downThrottle,
                config.redundantHaves());
        downloads.setSequential(now, sequential);
        if (filePriorities != null) {
            downloads.setPieceLevels(now, FilePriority.pieceLevels(metainfo.layout(), metainfo.files(), filePriorities));
        }
        uploads = new Uploads(metainfo.layout());
        for (PeerState s : List.copyOf(peers.values())) {
            BitSet early = (BitSet) s.pieces.clone();
            s.pieces.clear();
            if (s.earlyHaveAll) {
                BitSet all = new BitSet();
                all.set(0, metainfo.pieceCount());
                s.earlyBitfield = Bitfield.of(all, metainfo.pieceCount()).bits();
            }
            boolean announced = s.earlyBitfield != null;
            String problem = s.earlyBitfield == null ? null : downloads.onBitfield(now, s, s.earlyBitfield);
            s.earlyBitfield = null;
            s.earlyHaveAll = false;
            if (problem == null && early.length() > metainfo.pieceCount()) {
                problem = "have for piece " + (early.length() - 1) + " of " + metainfo.pieceCount();
            }
            if (problem != null) {
                drop(s, problem, false);
                continue;
            }
            for (int i = verified.nextSetBit(0); i >= 0; i = verified.nextSetBit(i + 1)) {
                send(s, new Have(i)); // too late for a bitfield: BEP 3 allows it only first
            }
            for (int i = early.nextSetBit(0); i >= 0; i = early.nextSetBit(i + 1)) {
                if (!s.pieces.get(i)) {
                    s.pieces.set(i);
                    downloads.onHave(now, s, i);
                }
            }
            downloads.updateInterest(s);
            downloads.fill(now, s);
            if (announced) {
                piecesKnown(s);
            }
        }
        if (downloads.isComplete()) {
            actions.add(new SwarmAction.Completed());
        }
        dial(now);
    }

    /** Piece {@code index} was written and hashed: {@code ok} when it matched. */
    public void pieceChecked(long now, int index, boolean ok) {
        if (downloads == null || stopped) {
            return;
        }
        List<PeerLink> from = downloads.pieceChecked(index, ok);
        if (ok) {
            verifiedSinceSave = true;
            if (downloads.isComplete()) {
                onComplete(now);
            }
            return;
        }
        for (PeerLink c : bans.blame(from)) {
            PeerState s = peers.get(c);
            if (s != null) {
                drop(s, "sent data for piece " + index + " that failed its SHA-1: banned", true);
            }
        }
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
        for (PeerState s : List.copyOf(peers.values())) {
            if (!s.closing && !closeIfNothingToTrade(s)) {
                metadata.uploadOnlyChanged(s, true); // BEP 21, so it stops counting us as a source
            }
        }
        if (uploads != null) {
            uploads.setSeeding(true); // seeds give without counting: requests held back by a credit go out now
            serveUploads(now, null);
        }
        actions.add(new SwarmAction.Completed()); // every piece was hashed as written, and matched
        actions.add(new SwarmAction.SaveResume(false)); // at once, costing nothing the user waits for
        forcedSaveAt = now + FORCED_SAVE_DELAY_MILLIS;
    }

    // ---- time ----

    /** Periodic work: request timeouts, metadata retries, rechoking every 10 s, dialling due addresses. */
    public void timer(long now) {
        if (now >= uploadThrottledUntil) {
            uploadThrottledUntil = Long.MAX_VALUE;
            serveUploads(now, null);
        }
        if (downloads != null && now >= downloads.throttledUntil()) {
            downloads.throttleWaitOver(now);
        }
        if (now >= nextPexAt) {
            nextPexAt = pex.tick(now, peers);
        }
        if (now >= nextTickAt) {
            nextTickAt = now + TICK_MILLIS;
            if (downloads != null) {
                boolean timedOut = false;
                for (PeerState s : peers.values()) {
                    timedOut |= downloads.timeOutRequests(now, s);
                }
                if (timedOut) {
                    refillAll(now); // the blocks given back go to peers with room
                }
            } else {
                metadata.requestMissing(now, peers);
            }
        }
        if (now >= nextResumeSaveAt) {
            nextResumeSaveAt = now + RESUME_SAVE_MILLIS;
            if (verifiedSinceSave && !isComplete() && !stopped) {
                verifiedSinceSave = false;
                actions.add(new SwarmAction.SaveResume(false)); // a killed process then loses at most a minute
            }
        }
        if (now >= forcedSaveAt && !stopped) {
            forcedSaveAt = Long.MAX_VALUE;
            actions.add(new SwarmAction.SaveResume(true));
        }
        if (now >= nextRechokeAt) {
            nextRechokeAt = now + RECHOKE_MILLIS;
            rechoke(now);
        }
        dial(now);
    }

    private void dial(long now) {
        int room = dialRoom();
        if (room <= 0) {
            return;
        }
        for (InetSocketAddress a : addresses.takeDue(now, room, isComplete())) {
            actions.add(new SwarmAction.Connect(a));
        }
    }

    /** How many more addresses may be dialled now (peer and half-open limits). */
    private int dialRoom() {
        if (stopped || paused) {
            return 0;
        }
        return Math.min(config.maxPeers() - peers.size() - addresses.connecting(),
                config.maxHalfOpen() - addresses.connecting());
    }

    // ---- choking, requests, sending ----

    /**
     * The scheduled rechoke: re-decides who may download from us (tit-for-tat, {@link Choker}), then serves
     * every queue, since a renewed credit or our becoming a seed can free requests held back.
     */
    private void rechoke(long now) {
        if (uploads != null) {
            uploads.setSeeding(isComplete());
            choking.rechoke(now, isComplete(), peers.values(), uploads);
            serveUploads(now, null);
        }
    }

    private void refillAll(long now) {
        if (downloads != null) {
            downloads.refillAll(now);
        }
    }

    private void fill(long now, PeerState s) {
        if (downloads != null) {
            downloads.fill(now, s);
        }
    }

    private void sendBlock(PeerLink peer, BlockRequest block, boolean reportSent) {
        actions.add(new SwarmAction.SendBlock(peer, block, reportSent));
    }

    private void send(PeerState s, PeerMessage m) {
        actions.send(s, m);
    }

    /** Queues the close of {@code s}; the core forgets it when the runtime reports {@link #peerClosed}. */
    private void close(PeerState s, String reason, boolean misbehaved) {
        if (s.closing) {
            return;
        }
        s.closing = true;
        byPeerId.remove(ByteBuffer.wrap(s.peerId), s);
        downloads().ifPresent(d -> d.dropInFlight(s));
        actions.add(new SwarmAction.Close(s.link, reason, misbehaved));
    }

    /** Drops a peer that misbehaved: closed, and banned when {@code ban}. */
    private void drop(PeerState s, String reason, boolean ban) {
        close(s, reason, true);
        if (ban) {
            ban(s);
        }
    }

    private Optional<Downloads> downloads() {
        return Optional.ofNullable(downloads);
    }

    private void ban(PeerState s) {
        // several of its pieces can fail their hash before its close is done: it is reported banned once
        boolean already = bans.isBanned(s.address, s.peerId);
        bans.ban(s.address, s.peerId);
        // where it accepts connections: the address we dialled, or the port its BEP 10 handshake told us,
        // which peer exchange or the DHT may offer us later
        InetSocketAddress listen = PeerExchange.listenAddress(s);
        if (listen != null) {
            addresses.ban(listen);
        }
        if (!already) {
            actions.add(new SwarmAction.Banned(s.address));
        }
    }
}
