package io.kadtorrent.engine.session;

import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.pick.FileSelection;
import io.kadtorrent.engine.storage.PieceStore;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Opens a magnet download's files once its metadata is verified: the files its selection picks, off the event
 * loop, after which the core hears (through its queue) that storage is ready, or why it failed.
 */
final class MagnetStorage {

    /** Opens a torrent's files off the event loops (it may re-hash); see {@link TorrentFiles#openAsync}. */
    @FunctionalInterface
    interface Opener {
        CompletableFuture<PieceStore> open(Metainfo metainfo, Path parentDir, List<FilePriority> priorities);
    }

    /** Where the files go; null for {@link Session#fetchMetadata}, which wants no files. */
    private final Path parentDir;
    /** The files the user wants, applied once the file list is known. */
    private final FileSelection selection;
    private final Opener opener;
    /** Queues an event for the core (see {@link SwarmLoop#post}). */
    private final Consumer<SwarmLoop.Event> post;

    MagnetStorage(Path parentDir, FileSelection selection, Opener opener, Consumer<SwarmLoop.Event> post) {
        this.parentDir = parentDir;
        this.selection = selection;
        this.opener = opener;
        this.post = post;
    }

    /**
     * Opens the files of {@code m} (on the loop, when its metadata arrived); {@code opened} gets the store on the
     * opening thread before the core hears of it. Does nothing for a metadata-only fetch.
     */
    void open(Metainfo m, Consumer<PieceStore> opened) {
        if (parentDir == null) {
            return; // a metadata-only fetch: the session removes the torrent now
        }
        List<FilePriority> priorities;
        try {
            priorities = selection.isAll() ? List.of() : selection.priorities(m);
        } catch (IllegalArgumentException e) {
            post.accept((c, now) -> c.diskFailed(now, e.getMessage()));
            return;
        }
        opener.open(m, parentDir, priorities).whenComplete((store, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                post.accept((c, now) -> c.diskFailed(now, cause.getMessage()));
                return;
            }
            opened.accept(store);
            post.accept((c, now) -> {
                if (!priorities.isEmpty()) {
                    c.setFilePriorities(now, priorities);
                }
                c.storageReady(now, store.verifiedPieces());
            });
        });
    }
}
