package io.kadtorrent.client.swarm;

import io.kadtorrent.client.wire.BlockRequest;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Everything the swarm knows about one connected peer: the four BEP 3 choke/interest flags, its
 * pieces, our requests in flight to it, its requests waiting for us, and its delivery rate, which
 * sets how many requests we keep in flight. Guarded by the swarm's lock.
 */
final class PeerState {

    static final int MIN_DEPTH = 8;
    /** libtorrent refuses more than ~500 queued requests by default; stay well under. */
    static final int MAX_DEPTH = 250;
    /** Keep about this much of the peer's rate in flight, in nanoseconds. */
    private static final long PIPE_NANOS = 500_000_000L;
    private static final long RATE_WINDOW_NANOS = 1_000_000_000L;

    final BitSet pieces = new BitSet();
    final Set<BlockRequest> inFlight = new LinkedHashSet<>();
    final Deque<BlockRequest> uploadQueue = new ArrayDeque<>();
    boolean amChoking = true;
    boolean amInterested;
    boolean peerChoking = true;
    boolean peerInterested;
    int dhtPort = -1;

    private long windowStartNanos;
    private long windowBytes;
    private double rateBytesPerSecond;
    private int depth = 32;

    /** Counts {@code bytes} of block data received now and re-derives the request depth once a second. */
    void recordReceived(int bytes, long nowNanos) {
        if (windowStartNanos == 0) {
            windowStartNanos = nowNanos;
        }
        windowBytes += bytes;
        long elapsed = nowNanos - windowStartNanos;
        if (elapsed >= RATE_WINDOW_NANOS) {
            double current = windowBytes * 1e9 / elapsed;
            rateBytesPerSecond = rateBytesPerSecond == 0 ? current : 0.5 * rateBytesPerSecond + 0.5 * current;
            windowStartNanos = nowNanos;
            windowBytes = 0;
            long wanted = (long) (rateBytesPerSecond * PIPE_NANOS / 1e9 / BlockRequest.BLOCK_SIZE);
            depth = (int) Math.max(MIN_DEPTH, Math.min(MAX_DEPTH, wanted));
        } else if (rateBytesPerSecond == 0) {
            depth = Math.min(MAX_DEPTH, depth + 1); // slow start until the first rate is known
        }
    }

    /** How many requests to keep in flight to this peer. */
    int depth() {
        return depth;
    }

    double rateBytesPerSecond() {
        return rateBytesPerSecond;
    }
}
