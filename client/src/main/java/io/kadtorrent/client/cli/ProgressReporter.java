package io.kadtorrent.client.cli;

import io.kadtorrent.engine.swarm.SwarmStats;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows download progress on stderr: a progress bar (rate, ETA, peers) when stderr is a terminal,
 * otherwise one plain line every few seconds, so logs and pipes stay readable.
 */
final class ProgressReporter implements AutoCloseable {

    private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;

    private final PrintWriter err;
    private final ProgressBar bar;
    private final long startNanos = System.nanoTime();
    private long lastPlainNanos = startNanos;
    private long lastVerifiedBytes;

    ProgressReporter(String name, long totalBytes, PrintWriter err) {
        this.err = err;
        this.bar = System.console() == null ? null : new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(totalBytes)
                .setUnit("MiB", 1 << 20)
                .showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }

    void update(SwarmStats s) {
        if (bar != null) {
            bar.stepTo(s.verifiedBytes());
            bar.setExtraMessage(s.peers() + " peers");
            return;
        }
        long now = System.nanoTime();
        if (now - lastPlainNanos >= PLAIN_EVERY_NANOS) {
            double seconds = (now - lastPlainNanos) / 1e9;
            double rate = (s.verifiedBytes() - lastVerifiedBytes) / seconds;
            long left = s.totalBytes() - s.verifiedBytes();
            String eta = rate > 0 ? String.format(Locale.ROOT, "%.0f s", left / rate) : "?";
            err.printf(Locale.ROOT, "progress: %.1f%% %.1f MB/s %d peers ETA %s%n",
                    s.totalBytes() == 0 ? 100.0 : 100.0 * s.verifiedBytes() / s.totalBytes(), rate / 1e6, s.peers(), eta);
            err.flush();
            lastPlainNanos = now;
            lastVerifiedBytes = s.verifiedBytes();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
