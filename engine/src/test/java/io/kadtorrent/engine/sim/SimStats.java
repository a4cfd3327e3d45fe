package io.kadtorrent.engine.sim;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** What one simulated peer did, for the properties and the benchmark: times in virtual milliseconds. */
final class SimStats {

    long joinedAtMillis;
    /** When its core said Completed (first time), or -1. */
    long completedAtMillis = -1;
    /** Block bytes that left its upload link. */
    long uploadedBytes;
    /** Block bytes its core wrote. */
    long downloadedBytes;
    /** Block bytes its core wrote for pieces no wanted file overlaps (with file priorities). */
    long unwantedBytes;
    /** The peers (by index) it banned. */
    final Set<Integer> banned = new LinkedHashSet<>();
    /** The peers (by index) it closed because they misbehaved, and the last reason. */
    final Map<Integer, String> misbehaviourCloses = new LinkedHashMap<>();
    /** Bytes the peer received from each misbehaving peer (by index), whatever they were. */
    final Map<Integer, Long> attackBytesFrom = new LinkedHashMap<>();
    /**
     * Have messages its core sent, how many of them went to a peer whose store held the piece already, and how
     * many of those to a peer that had completed (a seed).
     */
    long havesSent;
    long havesToHolders;
    long havesToSeeds;
    /** Dials after a ban of the same peer: must stay 0. */
    int redialsOfBanned;

    /** When each piece was first requested (-1: none); kept only once {@link #recordFirstRequests} was called. */
    private long[] firstRequestAt;

    void recordFirstRequests(int pieceCount) {
        firstRequestAt = new long[pieceCount];
        java.util.Arrays.fill(firstRequestAt, -1);
    }

    void firstRequest(int piece, long now) {
        if (firstRequestAt != null && firstRequestAt[piece] < 0) {
            firstRequestAt[piece] = now;
        }
    }

    long firstRequestAt(int piece) {
        return firstRequestAt[piece];
    }

    long completionMillis() {
        return completedAtMillis < 0 ? -1 : completedAtMillis - joinedAtMillis;
    }
}
