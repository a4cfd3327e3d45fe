package io.kadtorrent.engine.session;

import io.kadtorrent.engine.mse.SkeyIndex;
import io.kadtorrent.engine.net.PeerTorrent;
import io.kadtorrent.engine.storage.PieceStore;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The session's torrents by info_hash, running or asleep ({@link LazyTorrent}), each in the MSE index while it
 * is in the session (its peer sources are the caller's, {@link PeerSources}). Any thread may register, look up
 * or remove.
 */
final class TorrentRegistry {

    private static final Logger log = LoggerFactory.getLogger(TorrentRegistry.class);

    private final Map<InfoHash, Torrent> torrents = new ConcurrentHashMap<>();
    /** Complete torrents registered from their resume data, until they run (then they are in {@link #torrents}). */
    private final Map<InfoHash, LazyTorrent> lazies = new ConcurrentHashMap<>();
    private final SkeyIndex skeys; // the torrents an MSE peer may ask for
    private final DiskWriter disk;

    TorrentRegistry(SkeyIndex skeys, DiskWriter disk) {
        this.skeys = skeys;
        this.disk = disk;
    }

    /** Registers a running torrent; {@code joined} runs once it is in, before its MSE key is. The caller starts its sources. */
    void register(Torrent torrent, Runnable joined) {
        if (torrents.putIfAbsent(torrent.infoHash(), torrent) != null) {
            throw new IllegalStateException("torrent " + torrent.infoHash().hex() + " is already in the session");
        }
        joined.run();
        skeys.add(torrent.infoHash());
    }

    /** Registers a sleeping torrent; the caller starts its sources ({@link PeerSources#startLazy}). */
    void registerLazy(LazyTorrent lazy) {
        InfoHash infoHash = lazy.infoHash();
        if (torrents.containsKey(infoHash) || lazies.putIfAbsent(infoHash, lazy) != null) {
            throw new IllegalStateException("torrent " + infoHash.hex() + " is already in the session");
        }
        skeys.add(infoHash);
    }

    /** A lazy torrent now runs (registered by {@link #register}): it is no longer asleep. */
    void woke(LazyTorrent lazy) {
        lazies.remove(lazy.infoHash(), lazy);
    }

    /** A lazy torrent could not start: forgets its info_hash; true when the caller should close its sources. */
    boolean dropLazy(LazyTorrent lazy) {
        if (lazies.remove(lazy.infoHash(), lazy) && !torrents.containsKey(lazy.infoHash())) {
            skeys.remove(lazy.infoHash());
            return true;
        }
        return false;
    }

    /** See {@link Session#remove}; {@code closeSources} runs, when it had the torrent, before its core stops. */
    CompletableFuture<Void> remove(InfoHash infoHash, Consumer<InfoHash> closeSources) {
        LazyTorrent lazy = lazies.remove(infoHash);
        if (lazy != null) {
            lazy.forget(); // after this it cannot join; if it already did, it is in torrents now
        }
        Torrent torrent = torrents.remove(infoHash);
        if (torrent == null && lazy == null) {
            return CompletableFuture.completedFuture(null);
        }
        skeys.remove(infoHash);
        closeSources.accept(infoHash);
        if (torrent == null) {
            return CompletableFuture.completedFuture(null); // asleep: nothing open, its resume data unchanged
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        // the core's stop queues its resume save; the files close after it and every write before it
        torrent.stop(() -> disk.afterQueuedWrites(() -> {
            torrent.store().ifPresent(store -> {
                try {
                    store.close();
                } catch (IOException e) {
                    log.warn("{}: cannot close its files: {}", infoHash.shortHex(), e.getMessage());
                }
            });
            closed.complete(null);
        }));
        return closed;
    }

    Optional<Torrent> running(InfoHash infoHash) {
        return Optional.ofNullable(torrents.get(infoHash));
    }

    /** True while {@code torrent} is the session's running torrent for its info_hash. */
    boolean isRunning(Torrent torrent) {
        return torrents.get(torrent.infoHash()) == torrent;
    }

    int runningCount() {
        return torrents.size();
    }

    /** Where an incoming handshake for {@code infoHash} goes: the running torrent, else the sleeping one, else null. */
    PeerTorrent route(InfoHash infoHash) {
        Torrent running = torrents.get(infoHash);
        return running != null ? running : lazies.get(infoHash);
    }

    /** The running torrents as {@link SessionLimits} divides the session's limits. */
    List<SessionLimits.Member> limitMembers() {
        return torrents.values().stream().map(Torrent::limitMember).toList();
    }

    /** At the session's close, once the network and the disk thread stopped: saves resume data, closes every store. */
    void closeStores() {
        for (Torrent torrent : torrents.values()) {
            Optional<PieceStore> store = torrent.store();
            if (store.isEmpty()) {
                continue;
            }
            try {
                store.get().saveResume(false);
                store.get().close();
            } catch (IOException e) {
                log.warn("{}: cannot save resume data: {}", torrent.infoHash().shortHex(), e.getMessage());
            }
        }
    }
}
