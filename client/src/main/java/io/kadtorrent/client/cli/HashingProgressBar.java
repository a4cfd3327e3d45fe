package io.kadtorrent.client.cli;

import io.kadtorrent.torrent.create.CreationProgress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar on stderr for long hashing runs. Shown only when stderr is a terminal: Java 17
 * cannot ask that of one stream, so {@code System.console() != null} (stdin and stdout are a
 * terminal too) stands in for it; redirected or scripted runs never see a bar.
 */
final class HashingProgressBar implements CreationProgress, AutoCloseable {

    /** Below this, hashing takes well under a second: a bar would only flicker. */
    static final long MIN_BYTES_FOR_BAR = 256L << 20;

    private final boolean enabled;
    private ProgressBar bar;

    private HashingProgressBar(boolean enabled) {
        this.enabled = enabled;
    }

    static HashingProgressBar forStderr() {
        return new HashingProgressBar(System.console() != null);
    }

    @Override
    public synchronized void onHashed(long hashedBytes, long totalBytes) {
        if (!enabled || totalBytes < MIN_BYTES_FOR_BAR) {
            return;
        }
        if (bar == null) {
            bar = new ProgressBarBuilder()
                    .setTaskName("hashing")
                    .setInitialMax(totalBytes)
                    .setUnit("MiB", 1L << 20)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .build();
        }
        bar.stepTo(Math.max(bar.getCurrent(), hashedBytes)); // threads may report out of order
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
