package io.kadtorrent.engine.session;

import io.kadtorrent.engine.swarm.SwarmCore;
import io.netty.channel.EventLoop;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Answers a caller's question about one {@link SwarmCore} from any thread by asking it on the core's own event
 * loop (inline when already there); once that loop has ended, nothing else touches the core, so it is asked
 * directly.
 */
final class SwarmQueries {

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);

    private final EventLoop loop;
    private final SwarmCore core;

    SwarmQueries(EventLoop loop, SwarmCore core) {
        this.loop = loop;
        this.core = core;
    }

    /** The answer within {@link #QUERY_TIMEOUT}; throws {@link IllegalStateException} when the loop does not answer. */
    <T> T query(Function<SwarmCore, T> question) {
        return ask(question, QUERY_TIMEOUT).orElseThrow(() -> new IllegalStateException(
                "cannot ask the swarm of " + core.infoHash().shortHex() + ": no answer within "
                        + QUERY_TIMEOUT.toSeconds() + " s"));
    }

    /** Asks the core on its loop; empty when the loop does not answer within {@code wait}. */
    <T> Optional<T> ask(Function<SwarmCore, T> question, Duration wait) {
        if (loop.inEventLoop()) {
            return Optional.of(question.apply(core));
        }
        try {
            return Optional.of(loop.submit(() -> question.apply(core)).get(wait.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException busy) {
            return Optional.empty();
        } catch (RejectedExecutionException closed) {
            // the session closed: once its loop has ended, nothing else touches the core
            return loop.terminationFuture().awaitUninterruptibly(wait.toNanos(), TimeUnit.NANOSECONDS)
                    ? Optional.of(question.apply(core)) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the swarm", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot ask the swarm of " + core.infoHash().shortHex() + ": " + e.getCause(), e);
        }
    }

    /** Asks the core on its loop without blocking the caller: the answer completes there (or once the loop ended). */
    <T> CompletableFuture<T> askAsync(Function<SwarmCore, T> question) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        try {
            loop.execute(() -> answer.complete(question.apply(core)));
        } catch (RejectedExecutionException closed) {
            // the session closed: once its loop has ended, nothing else touches the core
            loop.terminationFuture().addListener(ended -> answer.complete(question.apply(core)));
        }
        return answer;
    }
}
