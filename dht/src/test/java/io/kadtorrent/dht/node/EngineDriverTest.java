package io.kadtorrent.dht.node;

import io.kadtorrent.dht.engine.DhtEngine;
import io.kadtorrent.dht.engine.QueryPolicy;
import io.kadtorrent.dht.id.NodeId;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node's timer follows the engine's nextTimerMillis: one timer, armed for exactly that deadline. */
class EngineDriverTest {

    private record Scheduled(Runnable task, long delayMillis, Future<?> future) {
    }

    private static final long START = 50_000;

    private final List<Scheduled> scheduled = new ArrayList<>();
    private final List<InetSocketAddress> sentTo = new ArrayList<>();
    private long clock = START;
    private final DhtEngine engine = new DhtEngine(NodeId.random(new SplittableRandom(1)),
            (to, bytes) -> sentTo.add(to), new SplittableRandom(2), START);
    private final EngineDriver driver = new EngineDriver(engine, () -> clock, (task, delayMillis) -> {
        CompletableFuture<Void> f = new CompletableFuture<>();
        scheduled.add(new Scheduled(task, delayMillis, f));
        return f;
    });
    private final InetSocketAddress seed = new InetSocketAddress("127.0.0.1", 7000);

    private Scheduled last() {
        return scheduled.get(scheduled.size() - 1);
    }

    @Test
    void armsOneTimerForTheEnginesDeadlineAndMovesItWhenAnInputBringsItForward() {
        driver.input(now -> { });
        assertEquals(1, scheduled.size());
        assertEquals(engine.nextTimerMillis() - START, last().delayMillis());
        assertTrue(last().delayMillis() > 60_000, "idle: minutes away, not a fixed tick");

        clock += 2_000;
        driver.input(now -> engine.bootstrap(now, List.of(seed), n -> { }));
        assertEquals(2, scheduled.size());
        assertTrue(scheduled.get(0).future().isCancelled(), "the later timer is replaced, not kept");
        assertEquals(QueryPolicy.DEFAULT.timeoutMillis(), last().delayMillis());
        assertEquals(clock + QueryPolicy.DEFAULT.timeoutMillis(), driver.armedForMillis());

        clock += 300;
        driver.input(now -> engine.onDatagram(now, seed, new byte[]{'x'})); // changes no deadline
        assertEquals(2, scheduled.size(), "an unchanged deadline keeps its timer");
        assertFalse(last().future().isCancelled());
    }

    @Test
    void whenTheTimerFiresTheEngineDoesTheDueWorkAndTheNextDeadlineIsArmed() {
        driver.input(now -> engine.bootstrap(now, List.of(seed), n -> { }));
        assertEquals(1, sentTo.size());
        Scheduled timeout = last();

        clock += timeout.delayMillis();
        timeout.task().run();
        assertEquals(2, sentTo.size(), "the timed-out find_node was sent again");
        assertEquals(clock + QueryPolicy.DEFAULT.timeoutMillis(), driver.armedForMillis());
        assertEquals(QueryPolicy.DEFAULT.timeoutMillis(), last().delayMillis());
    }

    @Test
    void stopCancelsTheTimerAndLaterInputsArmNone() {
        driver.input(now -> { });
        driver.stop();
        assertTrue(last().future().isCancelled());
        driver.input(now -> engine.bootstrap(now, List.of(seed), n -> { }));
        assertEquals(1, scheduled.size());
        assertEquals(Long.MAX_VALUE, driver.armedForMillis());
    }
}
