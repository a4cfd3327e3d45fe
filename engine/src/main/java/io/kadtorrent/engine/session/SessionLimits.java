package io.kadtorrent.engine.session;

import io.kadtorrent.engine.swarm.LimitShares;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The session's rate limits, divided among its torrents every {@link #WINDOW_MILLIS}: each torrent's core
 * reports on its own loop what passed and whether its share held traffic back, {@link LimitShares} divides
 * the limits, and each core gets its new shares as a command on its loop. No bucket is shared between
 * threads and nothing here blocks. Everything but the two limits runs on one event loop ({@code timer}): new
 * limits, the rounds and their results, so a round started under older limits is recognised and dropped.
 *
 * <p>A round costs nothing for a torrent that stays idle: one that moved nothing and was not held back last
 * time is asked again only once its core notes traffic ({@link Member#limitUsePending}), and a torrent hears
 * its shares only when they changed or its share held traffic back. A thousand idle torrents cost no event
 * per round; the round's answers share one timeout.
 */
final class SessionLimits implements AutoCloseable {

    static final long WINDOW_MILLIS = 250;
    /** A round gives up on cores that have not answered by then (a loop shut down): they count as idle. */
    private static final long ANSWER_MILLIS = 2_000;

    /** A torrent as the division sees it; its core answers on its own loop. */
    interface Member {
        /** What passed each way since the last call, {upload, download}, asked on the core's loop. */
        CompletableFuture<LimitShares.Use[]> takeLimitUse();

        /** Its new shares of the session's limits (bytes per second, 0: none), applied on the core's loop. */
        void setSessionShares(long uploadBytesPerSecond, long downloadBytesPerSecond);

        /** True once its core passed traffic under, or was held back by, a limit since {@link #takeLimitUse}. */
        boolean limitUsePending();
    }

    /** What the timer loop remembers of one member between rounds. */
    private static final class Known {
        long upShare = -1;
        long downShare = -1;
        /** Its last answer: nothing passed, nothing held back, either way. */
        boolean idle;
    }

    private final EventLoop timer;
    private final Supplier<? extends Collection<? extends Member>> members;
    private final long windowMillis;
    private final ScheduledFuture<?> rounds;
    private volatile long upload;
    private volatile long download;
    private volatile boolean added; // a torrent joined since the last round: it must hear the current shares
    // on the timer loop only:
    private final Map<Member, Known> known = new IdentityHashMap<>();
    private long generation; // counts changes of the limits
    private boolean dividing; // a round waits for the cores' answers
    private boolean allUnlimited = true; // every core was last told "no session limit"

    SessionLimits(EventLoop timer, Supplier<? extends Collection<? extends Member>> members) {
        this(timer, members, WINDOW_MILLIS);
    }

    /** With rounds every {@code windowMillis} (tests run rounds by hand with {@link #roundNow}). */
    SessionLimits(EventLoop timer, Supplier<? extends Collection<? extends Member>> members, long windowMillis) {
        this.timer = timer;
        this.members = members;
        this.windowMillis = windowMillis;
        this.rounds = timer.scheduleAtFixedRate(this::round, windowMillis, windowMillis, TimeUnit.MILLISECONDS);
    }

    /** Takes effect at once: every torrent gets an equal part until the next round divides by use. */
    void set(long uploadBytesPerSecond, long downloadBytesPerSecond) {
        upload = uploadBytesPerSecond;
        download = downloadBytesPerSecond;
        timer.execute(() -> {
            generation++;
            List<Member> all = List.copyOf(members.get());
            long[] part = equalParts(all.size());
            for (Member m : all) {
                send(m, known.computeIfAbsent(m, k -> new Known()), part[0], part[1]);
            }
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

    /** Runs one round now, on the timer loop; completes once its shares went out (or it had nothing to do). */
    CompletableFuture<Void> roundNow() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        timer.execute(() -> round().whenComplete((v, e) -> done.complete(null)));
        return done;
    }

    private CompletableFuture<Void> round() {
        long up = upload;
        long down = download;
        if (dividing || (up == 0 && down == 0 && allUnlimited && !added)) {
            // the last round still waits for a busy loop, or there is nothing to divide nor to undo
            return CompletableFuture.completedFuture(null);
        }
        added = false;
        dividing = true;
        long startedIn = generation;
        List<Member> all = List.copyOf(members.get());
        Set<Member> present = Collections.newSetFromMap(new IdentityHashMap<>());
        present.addAll(all);
        known.keySet().retainAll(present); // torrents removed
        List<CompletableFuture<LimitShares.Use[]>> uses = new ArrayList<>(all.size());
        List<CompletableFuture<LimitShares.Use[]>> asked = new ArrayList<>();
        for (Member m : all) {
            Known k = known.get(m);
            if (k != null && k.idle && !m.limitUsePending()) {
                uses.add(null); // still idle: its use is known without asking
            } else {
                CompletableFuture<LimitShares.Use[]> f = m.takeLimitUse();
                uses.add(f);
                asked.add(f);
            }
        }
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new))
                .orTimeout(ANSWER_MILLIS, TimeUnit.MILLISECONDS)
                .handleAsync((ignored, e) -> {
                    dividing = false;
                    if (startedIn == generation) { // else the limits changed meanwhile: divided from the old ones
                        divide(up, down, all, uses);
                    }
                    return null;
                }, timer);
    }

    private void divide(long up, long down, List<Member> all, List<CompletableFuture<LimitShares.Use[]>> uses) {
        LimitShares.Use idle = new LimitShares.Use(0, false);
        LimitShares.Use[] ups = new LimitShares.Use[all.size()];
        LimitShares.Use[] downs = new LimitShares.Use[all.size()];
        boolean[] answered = new boolean[all.size()];
        for (int i = 0; i < all.size(); i++) {
            CompletableFuture<LimitShares.Use[]> f = uses.get(i);
            LimitShares.Use[] u = f == null ? null : f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
            answered[i] = f == null || u != null;
            ups[i] = u == null ? idle : u[0];
            downs[i] = u == null ? idle : u[1];
        }
        long[] upShares = LimitShares.divide(up, ups, windowMillis);
        long[] downShares = LimitShares.divide(down, downs, windowMillis);
        for (int i = 0; i < all.size(); i++) {
            Member m = all.get(i);
            Known k = known.computeIfAbsent(m, x -> new Known());
            boolean heldBack = ups[i].heldBack() || downs[i].heldBack();
            if (heldBack || k.upShare != upShares[i] || k.downShare != downShares[i]) {
                send(m, k, upShares[i], downShares[i]); // held back: it waits no longer than its share says
            }
            k.idle = answered[i] && ups[i].equals(idle) && downs[i].equals(idle); // no answer: ask again
        }
        allUnlimited = up == 0 && down == 0;
    }

    private static void send(Member m, Known k, long upShare, long downShare) {
        k.upShare = upShare;
        k.downShare = downShare;
        m.setSessionShares(upShare, downShare);
    }

    @Override
    public void close() {
        rounds.cancel(false);
    }
}
