package io.kadtorrent.daemon;

import io.kadtorrent.torrent.metainfo.InfoHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The {@link TorrentSummary} of each complete torrent, which a restart needs to bring it back asleep, written to
 * the state folder whenever one was added or removed since the last save.
 */
final class Summaries {

    private static final Logger log = LoggerFactory.getLogger(Summaries.class);

    private final StateDir state;
    /** Whether the daemon still holds a torrent: only those are saved. */
    private final Predicate<InfoHash> held;
    private final Map<InfoHash, TorrentSummary> summaries = new ConcurrentHashMap<>();
    private volatile boolean changed;

    Summaries(StateDir state, Predicate<InfoHash> held) {
        this.state = state;
        this.held = held;
    }

    /** Reads the summaries last saved; one whose key is not an info_hash is reported and skipped. */
    void load() {
        state.readSummaries().forEach((hex, summary) -> {
            try {
                summaries.put(InfoHash.parse(hex), summary);
            } catch (RuntimeException e) {
                log.warn("ignoring the summary of {}: {}", hex, e.getMessage());
            }
        });
    }

    TorrentSummary get(InfoHash infoHash) {
        return summaries.get(infoHash);
    }

    /** A torrent completed: its summary is saved within a minute, after a restore, and on close. */
    void completed(InfoHash infoHash, TorrentSummary summary) {
        if (!summary.equals(summaries.put(infoHash, summary))) {
            changed = true;
        }
    }

    void forget(InfoHash infoHash) {
        changed |= summaries.remove(infoHash) != null;
    }

    /** Saves the summaries of the torrents the daemon holds, when one was added or removed since the last save. */
    void save() {
        if (!changed) {
            return;
        }
        changed = false;
        Map<String, TorrentSummary> out = new TreeMap<>();
        summaries.forEach((infoHash, summary) -> {
            if (held.test(infoHash)) {
                out.put(infoHash.hex(), summary);
            }
        });
        try {
            state.saveSummaries(out);
        } catch (IOException e) {
            changed = true;
            log.warn("cannot save the torrents' summaries: {}", e.getMessage());
        }
    }
}
