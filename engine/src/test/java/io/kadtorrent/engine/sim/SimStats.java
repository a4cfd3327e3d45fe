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
    /** The peers (by index) it banned. */
    final Set<Integer> banned = new LinkedHashSet<>();
    /** The peers (by index) it closed because they misbehaved, and the last reason. */
    final Map<Integer, String> misbehaviourCloses = new LinkedHashMap<>();
    /** Bytes the peer received from each misbehaving peer (by index), whatever they were. */
    final Map<Integer, Long> attackBytesFrom = new LinkedHashMap<>();
    /** Dials after a ban of the same peer: must stay 0. */
    int redialsOfBanned;

    long completionMillis() {
        return completedAtMillis < 0 ? -1 : completedAtMillis - joinedAtMillis;
    }
}
