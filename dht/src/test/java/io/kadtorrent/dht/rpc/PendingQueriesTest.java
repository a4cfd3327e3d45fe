package io.kadtorrent.dht.rpc;

import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcResponse;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingQueriesTest {

    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 1);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 2);

    /** Records which queries timed out, by name. */
    private static QueryCallback named(String name, List<String> timedOut) {
        return new QueryCallback() {
            @Override
            public void onResponse(KrpcResponse response, long nowMillis) {
            }

            @Override
            public void onError(KrpcError error, long nowMillis) {
            }

            @Override
            public void onTimeout(long nowMillis) {
                timedOut.add(name);
            }
        };
    }

    @Test
    void aReplyMatchesOnlyItsIdFromTheAddressAsked() {
        PendingQueries pending = new PendingQueries(1_000, 0xfffe); // the counter wraps past 0xffff here
        List<String> timedOut = new ArrayList<>();
        TransactionId first = pending.register(A, 0, named("first", timedOut));
        TransactionId second = pending.register(B, 0, named("second", timedOut));
        TransactionId third = pending.register(A, 0, named("third", timedOut));
        assertEquals(0, third.asShort());
        assertTrue(pending.take(second, A).isEmpty());
        assertTrue(pending.take(new TransactionId(new byte[]{0, 0, 0}), A).isEmpty());
        assertTrue(pending.take(second, B).isPresent());
        assertTrue(pending.take(second, B).isEmpty());
        pending.cancel(first, A);
        assertEquals(1, pending.size());
        assertEquals(1_000, pending.nextDeadlineMillis());
        assertEquals(1, pending.expire(1_000));
        assertEquals(List.of("third"), timedOut);
        assertEquals(Long.MAX_VALUE, pending.nextDeadlineMillis());
    }

    @Test
    void manyPendingExpireInOrderAndEachIdMatchesItsOwn() {
        PendingQueries pending = new PendingQueries(1_000, 12_345);
        List<String> timedOut = new ArrayList<>();
        List<TransactionId> ids = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            ids.add(pending.register(A, i, named("q" + i, timedOut)));
        }
        for (int i = 0; i < 3_000; i += 2) {
            assertTrue(pending.take(ids.get(i), A).isPresent());
        }
        assertEquals(1_500, pending.size());
        assertEquals(1_001, pending.nextDeadlineMillis());
        assertEquals(5, pending.expire(1_010));
        assertEquals(List.of("q1", "q3", "q5", "q7", "q9"), timedOut);
        assertFalse(pending.isFull());
        assertEquals(1_495, pending.expire(10_000));
        assertEquals(0, pending.size());
    }
}
