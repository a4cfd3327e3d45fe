package io.kadtorrent.engine.session;

import io.kadtorrent.engine.swarm.LimitShares;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The session's rate limits, divided among its torrents every {@link #WINDOW_MILLIS}: each torrent's core
 * reports on its own loop what passed and whether its share held traffic back, {@link LimitShares} divides
 * the limits, and each core gets its new shares as a command on its loop. No bucket is shared between
 * threads and nothing here blocks: the rounds run on one event loop, chained on the cores' answers.
 */
final class SessionLimits implements AutoCloseable {

    static final long WINDOW_MILLIS = 250;

    private final Supplier<Collection<Torrent>> torrents;
    private final AtomicBoolean dividing = new AtomicBoolean();
    private final ScheduledFuture<?> rounds;
    private volatile long upload;
    private volatile long download;
    private volatile boolean sharesUnlimited = true; // every core was last told "no session limit"

    SessionLimits(EventLoop timer, Supplier<Collection<Torrent>> torrents) {
        this.torrents = torrents;
        this.rounds = timer.scheduleAtFixedRate(this::divide, WINDOW_MILLIS, WINDOW_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Takes effect at once: every torrent gets an equal part until the next round divides by use. */
    void set(long uploadBytesPerSecond, long downloadBytesPerSecond) {
        upload = uploadBytesPerSecond;
        download = downloadBytesPerSecond;
        List<Torrent> all = List.copyOf(torrents.get());
        long[] part = equalParts(all.size());
        all.forEach(t -> t.setSessionShares(part[0], part[1]));
        sharesUnlimited = uploadBytesPerSecond == 0 && downloadBytesPerSecond == 0;
    }

    long[] get() {
        return new long[] {upload, download};
    }

    /** A new torrent's shares before its first round: an equal part among {@code torrentCount}. */
    long[] equalParts(int torrentCount) {
        int n = Math.max(1, torrentCount);
        long up = upload;
        long down = download;
        return new long[] {up == 0 ? 0 : Math.max(1, up / n), down == 0 ? 0 : Math.max(1, down / n)};
    }

    private void divide() {
        long up = upload;
        long down = download;
        if (up == 0 && down == 0 && sharesUnlimited) {
            return;
        }
        if (!dividing.compareAndSet(false, true)) {
            return; // the last round still waits for a busy loop
        }
        List<Torrent> all = List.copyOf(torrents.get());
        List<CompletableFuture<LimitShares.Use[]>> uses = all.stream().map(Torrent::takeLimitUse).toList();
        CompletableFuture.allOf(uses.toArray(CompletableFuture[]::new)).whenComplete((ignored, e) -> {
            try {
                LimitShares.Use[] ups = new LimitShares.Use[all.size()];
                LimitShares.Use[] downs = new LimitShares.Use[all.size()];
                for (int i = 0; i < all.size(); i++) {
                    CompletableFuture<LimitShares.Use[]> f = uses.get(i);
                    LimitShares.Use[] u = f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
                    ups[i] = u == null ? new LimitShares.Use(0, false) : u[0];
                    downs[i] = u == null ? new LimitShares.Use(0, false) : u[1];
                }
                long[] upShares = LimitShares.divide(up, ups, WINDOW_MILLIS);
                long[] downShares = LimitShares.divide(down, downs, WINDOW_MILLIS);
                for (int i = 0; i < all.size(); i++) {
                    all.get(i).setSessionShares(upShares[i], downShares[i]);
                }
                sharesUnlimited = up == 0 && down == 0;
            } finally {
                dividing.set(false);
            }
        });
    }

    @Override
    public void close() {
        rounds.cancel(false);
    }
}
