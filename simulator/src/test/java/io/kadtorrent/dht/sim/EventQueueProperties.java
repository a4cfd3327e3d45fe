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

/**
 * The timing wheel hands out events in exactly the (time, sender, seq) order of a priority queue on that triple,
 * whatever order they were added in (shards merge other shards' events at a window's start).
 */
class EventQueueProperties {

    @Property(tries = 50)
    void takesEventsInTimeThenSequenceOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2_000) int operations,
                                            @ForAll @LongRange(min = 1, max = 300_000) long maxDelayMillis) {
        SplittableRandom random = new SplittableRandom(seed);
        EventQueue wheel = new EventQueue();
        PriorityQueue<EventQueue.Event> reference = new PriorityQueue<>((a, b) -> a.timeMillis != b.timeMillis
                ? Long.compare(a.timeMillis, b.timeMillis)
                : a.sender != b.sender ? Integer.compare(a.sender, b.sender) : Long.compare(a.seq, b.seq));
        long now = 0;
        long[] seqs = new long[5]; // five senders, each numbering its own events
        List<EventQueue.Event> taken = new ArrayList<>();
        for (int i = 0; i < operations; i++) {
            if (random.nextInt(3) > 0 || reference.isEmpty()) {
                // mostly near (a datagram), sometimes far beyond the wheel (a refresh timer), sometimes due now
                long delay = random.nextInt(10) == 0 ? random.nextLong(maxDelayMillis) : random.nextLong(Math.min(maxDelayMillis, 20));
                if (random.nextInt(4) == 0) {
                    assertSame(reference.peek(), wheel.peek()); // loads a millisecond that an earlier event may precede
                }
                int sender = random.nextInt(seqs.length);
                EventQueue.Event e = new EventQueue.Event(now + delay, sender, seqs[sender]++, null, null, null);
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
