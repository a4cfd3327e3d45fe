package io.kadtorrent.engine.session;

import io.kadtorrent.engine.swarm.LimitShares;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The session's rate limits, divided among its torrents every {@link #WINDOW_MILLIS}: each torrent's core
 * reports on its own loop what passed and whether its share held traffic back, {@link LimitShares} divides
 * the limits, and each core gets its new shares as a command on its loop. No bucket is shared between
 * threads and nothing here blocks. Everything but the two limits runs on one event loop ({@code timer}): new
 * limits, the rounds and their results, so a round started under older limits is recognised and dropped.
 */
final class SessionLimits implements AutoCloseable {

    static final long WINDOW_MILLIS = 250;

    private final EventLoop timer;
    private final Supplier<Collection<Torrent>> torrents;
    private final ScheduledFuture<?> rounds;
    private volatile long upload;
    private volatile long download;
    private volatile boolean added; // a torrent joined since the last round: it must hear the current shares
    // on the timer loop only:
    private long generation; // counts changes of the limits
    private boolean dividing; // a round waits for the cores' answers
    private boolean allUnlimited = true; // every core was last told "no session limit"

    SessionLimits(EventLoop timer, Supplier<Collection<Torrent>> torrents) {
        this.timer = timer;
        this.torrents = torrents;
        this.rounds = timer.scheduleAtFixedRate(this::divide, WINDOW_MILLIS, WINDOW_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Takes effect at once: every torrent gets an equal part until the next round divides by use. */
    void set(long uploadBytesPerSecond, long downloadBytesPerSecond) {
        upload = uploadBytesPerSecond;
        download = downloadBytesPerSecond;
        timer.execute(() -> {
            generation++;
            List<Torrent> all = List.copyOf(torrents.get());
            long[] part = equalParts(all.size());
            all.forEach(t -> t.setSessionShares(part[0], part[1]));
            allUnlimited = part[0] == 0 && part[1] == 0;
        });
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

    /** A torrent joined the session (after it took {@link #equalParts}): the next round tells it the current shares. */
    void added() {
        added = true;
    }

    private void divide() {
        long up = upload;
        long down = download;
        if (dividing || (up == 0 && down == 0 && allUnlimited && !added)) {
            return; // the last round still waits for a busy loop, or there is nothing to divide nor to undo
        }
        added = false;
        dividing = true;
        long startedIn = generation;
        List<Torrent> all = List.copyOf(torrents.get());
        List<CompletableFuture<LimitShares.Use[]>> uses = all.stream().map(Torrent::takeLimitUse).toList();
        CompletableFuture.allOf(uses.toArray(CompletableFuture[]::new)).whenCompleteAsync((ignored, e) -> {
            dividing = false;
            if (startedIn != generation) {
                return; // the limits changed meanwhile: these shares were divided from the old ones
            }
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
            allUnlimited = up == 0 && down == 0;
        }, timer);
    }

    @Override
    public void close() {
        rounds.cancel(false);
    }
}
