package io.kadtorrent.engine.session;

import io.kadtorrent.engine.swarm.LimitShares;
import io.kadtorrent.engine.swarm.SwarmCore;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One swarm core as {@link SessionLimits} divides the session's limits; its shares and questions go through the
 * core's queue.
 */
final class SwarmLimitMember implements SessionLimits.Member {

    /** Queues an event for the core (see {@link SwarmLoop#post}). */
    private final Consumer<SwarmLoop.Event> post;
    /** The core passed traffic under a limit (or was held back) since the session last asked: written on the loop. */
    private volatile boolean limitUsePending;

    SwarmLimitMember(Consumer<SwarmLoop.Event> post) {
        this.post = post;
    }

    @Override
    public void setSessionShares(long uploadBytesPerSecond, long downloadBytesPerSecond) {
        post.accept((c, now) -> c.setSessionShares(now, uploadBytesPerSecond, downloadBytesPerSecond));
    }

    /** Asked on the core's loop without waiting for it; a loop shut down never answers (the round times out). */
    @Override
    public CompletableFuture<LimitShares.Use[]> takeLimitUse() {
        CompletableFuture<LimitShares.Use[]> answer = new CompletableFuture<>();
        post.accept((c, now) -> {
            limitUsePending = false;
            answer.complete(c.takeLimitUse());
        });
        return answer;
    }

    @Override
    public boolean limitUsePending() {
        return limitUsePending;
    }

    /** After a batch of events, on the core's loop: notes once that the core has traffic to report. */
    void afterDrain(SwarmCore core) {
        if (!limitUsePending && core.limitUsePending()) {
            limitUsePending = true; // read by SessionLimits' next round, which then asks this core
        }
    }
}
