package io.kadtorrent.client.cli;

import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.engine.swarm.SwarmStats;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What {@code kadtorrent get} tells the user on stderr while its download runs: the files it skips, what a
 * resumed download already had, a progress display until every wanted piece is verified, and how far it got
 * when stopped.
 */
final class DownloadProgress {

    /** How often the progress display is brought up to date. */
    private static final long PROGRESS_EVERY_MILLIS = 1000;
    /** The last frame of the display, once complete: worth a longer wait, never worth failing for. */
    private static final Duration FINAL_STATS_WAIT = Duration.ofSeconds(10);
    /** How often a magnet download looks whether its files are open yet (after its metadata arrived). */
    private static final long STORAGE_POLL_MILLIS = 50;

    private DownloadProgress() {
    }

    /**
     * Shows the download's progress until it completes. Once the files are open (at once for a .torrent, a
     * moment after the metadata for a magnet link) it says how much a resumed download already had verified
     * on disk, and the progress starts from there.
     */
    static void awaitComplete(Torrent swarm, Metainfo metainfo, PrintWriter err) throws Exception {
        ProgressReporter progress = null;
        try {
            while (true) {
                if (progress == null && swarm.store().isPresent()) {
                    progress = startProgress(swarm, metainfo, err);
                }
                try {
                    swarm.completion().get(progress == null ? STORAGE_POLL_MILLIS : PROGRESS_EVERY_MILLIS,
                            TimeUnit.MILLISECONDS);
                    if (progress == null) {
                        progress = startProgress(swarm, metainfo, err);
                    }
                    swarm.statsWithin(FINAL_STATS_WAIT).ifPresent(progress::update);
                    return;
                } catch (TimeoutException stillRunning) {
                    if (progress != null) {
                        // a busy swarm (a starved machine) skips a frame of the display, never the download
                        swarm.statsWithin(Duration.ofMillis(PROGRESS_EVERY_MILLIS)).ifPresent(progress::update);
                    }
                } catch (ExecutionException e) {
                    throw new IOException("download failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
    }

    /** Says what a resumed download already had, and starts the progress display from there. */
    private static ProgressReporter startProgress(Torrent swarm, Metainfo metainfo, PrintWriter err) {
        SwarmStats initial = swarm.stats();
        String resumed = resumedLine(initial.verifiedBytes(), swarm.store().orElseThrow().verifiedCount(), metainfo);
        if (resumed != null) {
            err.println(resumed);
            err.flush();
        }
        return new ProgressReporter(metainfo.name(), initial.wantedBytes(), initial.wantedVerifiedBytes(), true, err);
    }

    /** After Ctrl-C during a download: how far it got, and that the same command goes on from there. */
    static String stoppedLine(SwarmStats s, Metainfo m) {
        if (s.wantedVerifiedBytes() >= s.wantedBytes()) {
            return "stopped: " + m.name() + " is complete";
        }
        return String.format(Locale.ROOT, "stopped: %s %.1f%% verified (%s of %s); resume data saved, "
                        + "the same command goes on from there", m.name(),
                s.wantedBytes() == 0 ? 100.0 : 100.0 * s.wantedVerifiedBytes() / s.wantedBytes(),
                ByteSize.format(s.wantedVerifiedBytes()), ByteSize.format(s.wantedBytes()));
    }

    /** {@code skipping: 3 of 5 files (1.2 GiB); they are not created}, or null when every file is wanted. */
    static String skippedLine(Metainfo m, List<FilePriority> priorities) {
        int count = 0;
        long bytes = 0;
        for (int i = 0; i < priorities.size(); i++) {
            if (priorities.get(i) == FilePriority.SKIP && m.files().get(i).isData()) {
                count++;
                bytes += m.files().get(i).lengthBytes();
            }
        }
        if (count == 0) {
            return null;
        }
        long dataFiles = m.files().stream().filter(f -> f.isData()).count();
        return "skipping: " + count + " of " + dataFiles + " files (" + ByteSize.format(bytes) + "); they are not created";
    }

    /** {@code resuming: ...} when some of the torrent was already verified on disk, else null. */
    static String resumedLine(long verifiedBytes, int verifiedPieces, Metainfo m) {
        if (verifiedPieces == 0) {
            return null;
        }
        String what = verifiedPieces + " of " + m.pieceCount() + " pieces (" + ByteSize.format(verifiedBytes)
                + " of " + ByteSize.format(m.totalBytes()) + ")";
        return verifiedPieces == m.pieceCount() ? "already complete on disk: " + m.name() + ", " + what
                : "resuming: " + m.name() + ", " + what + " already verified on disk";
    }
}
