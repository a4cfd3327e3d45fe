package io.kadtorrent.dht.sim;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The timing wheel hands out events in exactly the (time, seq) order of a priority queue on that pair. */
class EventQueueProperties {

    @Property(tries = 50)
    void takesEventsInTimeThenSequenceOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2_000) int operations,
                                            @ForAll @LongRange(min = 1, max = 300_000) long maxDelayMillis) {
        SplittableRandom random = new SplittableRandom(seed);
        EventQueue wheel = new EventQueue();
        PriorityQueue<EventQueue.Event> reference = new PriorityQueue<>((a, b) -> a.timeMillis != b.timeMillis
                ? Long.compare(a.timeMillis, b.timeMillis) : Long.compare(a.seq, b.seq));
        long now = 0;
        long seq = 0;
        List<EventQueue.Event> taken = new ArrayList<>();
        for (int i = 0; i < operations; i++) {
            if (random.nextInt(3) > 0 || reference.isEmpty()) {
                // mostly near (a datagram), sometimes far beyond the wheel (a refresh timer), sometimes due now
                long delay = random.nextInt(10) == 0 ? random.nextLong(maxDelayMillis) : random.nextLong(Math.min(maxDelayMillis, 500));
                EventQueue.Event e = new EventQueue.Event(now + delay, seq++, null, null, null);
                wheel.add(e);
                reference.add(e);
            } else {
                EventQueue.Event expected = reference.poll();
                assertSame(expected, wheel.peek());
                assertSame(expected, wheel.poll());
                now = expected.timeMillis + (random.nextBoolean() ? 0 : random.nextLong(100)); // the clock may run on
                taken.add(expected);
            }
        }
        while (!reference.isEmpty()) {
            assertSame(reference.poll(), wheel.poll());
        }
        assertNull(wheel.poll());
        assertEquals(taken.size(), taken.stream().distinct().count());
    }
}
