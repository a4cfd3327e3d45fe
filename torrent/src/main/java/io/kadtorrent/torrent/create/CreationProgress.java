package io.kadtorrent.torrent.create;

/** Receives hashing progress from {@link TorrentCreator}; called from the hashing threads. */
@FunctionalInterface
public interface CreationProgress {

    CreationProgress NONE = (hashedBytes, totalBytes) -> { };

    /** {@code hashedBytes} of {@code totalBytes} are hashed so far (a running total). */
    void onHashed(long hashedBytes, long totalBytes);
}
