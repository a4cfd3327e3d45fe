package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.ext.ExtensionExchange;
import io.kadtorrent.engine.pick.BlockSet;
import io.kadtorrent.engine.wire.BlockRequest;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;

/**
 * Everything the swarm core knows about one connected peer: who it is, the four BEP 3 choke/interest
 * flags, its pieces, our requests in flight to it, its requests waiting for us, its delivery rate
 * (which sets how many requests we keep in flight) and the counters that catch abuse. Confined to
 * the core's thread.
 */
final class PeerState {

    static final int MIN_DEPTH = 8;
    /** libtorrent refuses more than ~500 queued requests by default; stay well under. */
    static final int MAX_DEPTH = 250;
    /** Keep about this much of the peer's rate in flight, in milliseconds. */
    private static final long PIPE_MILLIS = 500;
    private static final long RATE_WINDOW_MILLIS = 1_000;
    /** Pieces a peer gets from us before we judge whether it passes them on ({@link #hoards}). */
    static final int HOARD_MIN_PIECES = 4;
    static final int HOARD_SPREAD_SHARE = 4;
    /**
     * After this long a spent credit is renewed: two honest peers that choked each other while wanting each
     * other's pieces (each busy with better partners) are not shut out of each other for good.
     */
    static final long CREDIT_RENEWAL_MILLIS = 120_000;

    final PeerLink link;
    final InetSocketAddress address;
    final byte[] peerId;
    final boolean outgoing;
    final long connectedAt;

    final BitSet pieces = new BitSet();
    final BlockSet inFlight = new BlockSet();
    final Deque<BlockRequest> uploadQueue = new ArrayDeque<>();
    boolean amChoking = true;
    boolean amInterested;
    boolean peerChoking = true;
    boolean peerInterested;
    int dhtPort = -1;
    /** When the peer last sent us a block we asked for, or -1: the choker's snubbing check. */
    long lastBlockAt = -1;
    /** When we last sent it requests while none were in flight, or got a block: the request timeout's start. */
    long lastProgressAt;
    /** Block bytes we sent this peer over the last 20 s: the choker keeps slots steady among peers that send nothing. */
    final TransferRate uploadRate = new TransferRate();
    /** Block bytes it sent us over the last 20 s, for tit-for-tat: falls to 0 when the peer stops sending. */
    final TransferRate downloadRate = new TransferRate();
    /** The BEP 10 conversation, when both sides set the extension bit. */
    ExtensionExchange extensions;
    /** BEP 10 {@code reqq}: the most requests it keeps queued; caps our pipeline to it. */
    int requestCap = Integer.MAX_VALUE;
    /** BEP 21 {@code upload_only}: it wants no more pieces. */
    boolean uploadOnly;
    /** BEP 6: both handshakes set the Fast bit. */
    boolean fast;
    /** BEP 6: pieces it serves us even while it chokes us (at most {@link FastExtension#MAX_ALLOWED_FAST}). */
    final BitSet allowedFastFromPeer = new BitSet();
    /** BEP 6: pieces we serve it even while we choke it, and the bytes of them it asked for while choked. */
    final BitSet allowedFastToPeer = new BitSet();
    long allowedFastBytes;
    /** BEP 6: pieces it rejected a request for since it last unchoked us; not asked of it again until then. */
    final BitSet rejectedPieces = new BitSet();
    /** A bitfield that came before we knew the piece count (magnet), checked once we know it. */
    byte[] earlyBitfield;
    /** A BEP 6 have_all that came before we knew the piece count (magnet). */
    boolean earlyHaveAll;
    /** A close was asked for: nothing more from this peer counts. */
    boolean closing;
    /**
     * For a peer that dialled us: where it accepts connections (its BEP 10 {@code p}, or the address of the twin we
     * dialled that it replaced), held as connected in the address book so no source makes us dial it a second time.
     */
    InetSocketAddress heldListenAddress;
    /** Until when no requests go to this peer, after it left requests unanswered too long. */
    long snubbedUntil;
    /** Upload bursts sent whose {@code peerSent} has not come back yet. */
    int burstsInFlight;
    /** Blocks we asked for and then cancelled (or forgot) that may still arrive. */
    int lateAllowance;
    /** Bytes of blocks it sent that we never asked for. */
    long unrequestedBytes;
    /** Keep-alives received in the current minute, and when that minute began. */
    int keepAlives;
    long keepAliveWindowStart;

    /**
     * Pieces we uploaded blocks of to this peer, and those of them another peer announced next (a have); each
     * piece counts once, however often we gave it blocks of it.
     */
    final BitSet piecesGiven = new BitSet();
    final BitSet piecesSpread = new BitSet();
    /** Block bytes we sent it since it last sent us one: what it owes us, for the leecher's credit. */
    long unreturnedBytes;
    /** At the last rechoke it choked us while we wanted its pieces. */
    boolean refusingAtLastRechoke;
    /** It choked us at two rechokes in a row while we wanted its pieces (kept): its credit counts. */
    boolean refusedUs;
    /** Since when it is {@link Uploads#overdrawn overdrawn}, as rechokes saw it; -1: it is not. */
    long overdrawnSince = -1;

    private long windowStart = -1;
    private long windowBytes;
    private double rateBytesPerSecond;
    private int depth = 32;

    PeerState(PeerLink link, InetSocketAddress address, byte[] peerId, boolean outgoing, long now) {
        this.link = link;
        this.address = address;
        this.peerId = peerId.clone();
        this.outgoing = outgoing;
        this.connectedAt = now;
        this.lastProgressAt = now;
        this.keepAliveWindowStart = now;
    }

    /** Counts {@code bytes} of block data received now and re-derives the request depth once a second. */
    void recordReceived(int bytes, long now) {
        if (windowStart < 0) {
            windowStart = now;
        }
        windowBytes += bytes;
        unreturnedBytes = 0;
        downloadRate.record(bytes, now);
        long elapsed = now - windowStart;
        if (elapsed >= RATE_WINDOW_MILLIS) {
            double current = windowBytes * 1000.0 / elapsed;
            rateBytesPerSecond = rateBytesPerSecond == 0 ? current : 0.5 * rateBytesPerSecond + 0.5 * current;
            windowStart = now;
            windowBytes = 0;
            long wanted = (long) (rateBytesPerSecond * PIPE_MILLIS / 1000 / BlockRequest.BLOCK_SIZE);
            depth = (int) Math.max(MIN_DEPTH, Math.min(MAX_DEPTH, wanted));
        } else if (rateBytesPerSecond == 0) {
            depth = Math.min(MAX_DEPTH, depth + 1); // slow start until the first rate is known
        }
    }

    /** How many requests to keep in flight to this peer: what its rate asks for, within its {@code reqq}. */
    int depth() {
        return Math.min(depth, requestCap);
    }

    /**
     * Of the pieces we uploaded to it, fewer than one in {@link #HOARD_SPREAD_SHARE} reappeared at another
     * peer after it got them, once it got {@link #HOARD_MIN_PIECES}: it keeps what it gets.
     */
    boolean hoards() {
        int given = piecesGiven.cardinality();
        return given >= HOARD_MIN_PIECES && piecesSpread.cardinality() * HOARD_SPREAD_SHARE < given;
    }

    double rateBytesPerSecond() {
        return rateBytesPerSecond;
    }
}
