package io.kadtorrent.client.cli;

import io.kadtorrent.engine.swarm.SwarmStats;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows download progress on stderr: a progress bar (rate, ETA, peers) when stderr is a terminal,
 * otherwise one plain line every few seconds, so logs and pipes stay readable. Rate and ETA count only
 * what this run verified, not the bytes a resumed download already had on disk; with no peer connected
 * it says it is waiting for peers rather than showing a frozen bar.
 */
final class ProgressReporter implements AutoCloseable {

    private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;

    private final PrintWriter err;
    private final ProgressBar bar;
    private final boolean searchingDht;
    private final LongSupplier nanoTime;
    private long lastPlainNanos;
    private long lastVerifiedBytes;

    /**
     * @param initialVerifiedBytes what was verified before this run (a resumed download): the bar starts
     *                             there and rates leave it out
     * @param searchingDht         whether peers may still come from the DHT (said while none is connected)
     */
    ProgressReporter(String name, long totalBytes, long initialVerifiedBytes, boolean searchingDht, PrintWriter err) {
        this(name, totalBytes, initialVerifiedBytes, searchingDht, err, System::nanoTime, System.console() != null);
    }

    /** With its clock and the choice of a bar given (tests). */
    ProgressReporter(String name, long totalBytes, long initialVerifiedBytes, boolean searchingDht, PrintWriter err,
                     LongSupplier nanoTime, boolean showBar) {
        this.err = err;
        this.nanoTime = nanoTime;
        this.lastPlainNanos = nanoTime.getAsLong();
        this.searchingDht = searchingDht;
        this.lastVerifiedBytes = initialVerifiedBytes;
        this.bar = !showBar ? null : new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(totalBytes)
                .startsFrom(initialVerifiedBytes, Duration.ZERO)
                .setUnit("MiB", 1 << 20)
                .showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }

    void update(SwarmStats s) {
        if (bar != null) {
            bar.stepTo(s.wantedVerifiedBytes());
            bar.setExtraMessage(" " + peers(s.peers()));
            return;
        }
        long now = nanoTime.getAsLong();
        if (now - lastPlainNanos >= PLAIN_EVERY_NANOS) {
            err.println(plainLine(s, (now - lastPlainNanos) / 1e9, lastVerifiedBytes));
            err.flush();
            lastPlainNanos = now;
            lastVerifiedBytes = s.wantedVerifiedBytes();
        }
    }

    /**
     * {@code progress: 45.2% (12.3 MiB of 27.2 MiB), 3.4 MiB/s, 2 peers, ETA 5 s}: the rate is what was
     * verified since {@code previousVerifiedBytes}, {@code seconds} ago. With files skipped, it counts the
     * pieces of the wanted files only.
     */
    String plainLine(SwarmStats s, double seconds, long previousVerifiedBytes) {
        double percent = s.wantedBytes() == 0 ? 100.0 : 100.0 * s.wantedVerifiedBytes() / s.wantedBytes();
        String head = String.format(Locale.ROOT, "progress: %.1f%% (%s of %s), ", percent,
                ByteSize.format(s.wantedVerifiedBytes()), ByteSize.format(s.wantedBytes()));
        if (s.peers() == 0) {
            return head + peers(0);
        }
        double rate = Math.max(0, s.wantedVerifiedBytes() - previousVerifiedBytes) / seconds;
        long left = s.wantedBytes() - s.wantedVerifiedBytes();
        String eta = rate > 0 ? String.format(Locale.ROOT, "%.0f s", left / rate) : "?";
        return head + ByteSize.formatRate(rate) + ", " + peers(s.peers()) + ", ETA " + eta;
    }

    /** {@code 1 peer}, {@code 3 peers}, or what happens while there is none. */
    String peers(int count) {
        if (count == 0) {
            return searchingDht ? "waiting for peers (searching the DHT)" : "waiting for peers";
        }
        return count == 1 ? "1 peer" : count + " peers";
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
