package io.kadtorrent.metadata.server;

import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.metadata.client.MetadataClient;
import io.kadtorrent.metadata.protocol.ErrorCode;
import io.kadtorrent.metadata.protocol.MetadataRequest;
import io.kadtorrent.metadata.protocol.MetadataRequestCodec;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.signing.SigningKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each hostile client gets a clean error or a disconnect, and a well-behaved client connected
 * beforehand (the bystander) keeps being served throughout.
 */
class HostileClientIT {

    private static final Duration FRAME_TIMEOUT = Duration.ofMillis(400);
    /** For the tests of idle connections; the others use {@link #PATIENT_IDLE_TIMEOUT}. */
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(2500);
    /** Long enough that a loaded machine never sees the bystander or a flood connection closed as idle. */
    private static final Duration PATIENT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Longer than both server timeouts: a read that waits this long has seen the server's verdict. */
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    /**
     * How long the client that never reads waits for the server to drop it: the server first answers
     * what it read, and on a loaded machine (load 14 on 2 cores) that took longer than {@link #PATIENCE}.
     */
    private static final Duration NON_READER_PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private RunningServer server;
    private MetadataClient bystander;

    @BeforeEach
    void start() throws Exception {
        start(dir, PATIENT_IDLE_TIMEOUT);
    }

    private void start(Path storage, Duration idleTimeout) throws Exception {
        MetadataServerConfig config = RunningServer.config()
                .withMaxFrameBytes(64 << 10)
                .withTimeouts(idleTimeout, FRAME_TIMEOUT)
                .withConnectionCaps(100, 20)
                .withPublishPolicy(PublishPolicy.openToAll());
        server = RunningServer.start(storage, config);
        bystander = server.client();
        bystander.publish(TestTorrents.singleFile("served.iso", 1000, 1), SigningKey.generate(new SecureRandom()));
    }

    /** A new server (in a folder of its own) closing idle connections after {@link #IDLE_TIMEOUT}, and bystander. */
    private void restartWithShortIdleTimeout() throws Exception {
        stop();
        start(dir.resolve("short-idle"), IDLE_TIMEOUT);
    }

    @AfterEach
    void stop() {
        bystander.close();
        server.close();
    }

    private void assertBystanderServed() throws Exception {
        assertEquals("served.iso", bystander.list(0, 10).torrents().get(0).name());
    }

    @Test
    void oversizedLengthPrefixIsRefusedBeforeAllocationAndDisconnected() throws Exception {
        assertRefusedAndDisconnected(new byte[]{0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'd'},
                ErrorCode.FRAME_TOO_LARGE, "frame too large");
    }

    @Test
    void garbageFrameGetsAnErrorAndADisconnect() throws Exception {
        assertRefusedAndDisconnected(RawConnection.frame("this is not bencode".getBytes(ISO_8859_1)),
                ErrorCode.BAD_REQUEST, "frame is not a bencoded dictionary");
    }

    @Test
    void httpRequestReadsAsAnOversizedFrame() throws Exception {
        assertRefusedAndDisconnected("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(ISO_8859_1),
                ErrorCode.FRAME_TOO_LARGE, "frame too large");
    }

    /** Sends {@code bytes} raw; expects one error answer, then the server closing, while a bystander is served. */
    private void assertRefusedAndDisconnected(byte[] bytes, ErrorCode code, String messagePrefix) throws Exception {
        try (RawConnection raw = new RawConnection(server.address(), PATIENCE)) {
            raw.send(bytes);
            MetadataResponse.Failure f = assertInstanceOf(MetadataResponse.Failure.class, raw.readResponse());
            assertEquals(code, f.code());
            assertTrue(f.message().startsWith(messagePrefix), f.message());
            assertTrue(raw.closedByServer());
        }
        assertBystanderServed();
    }

    @Test
    void badFieldInAWellFormedRequestIsAnsweredAndTheConnectionKept() throws Exception {
        try (RawConnection raw = new RawConnection(server.address(), PATIENCE)) {
            raw.send(RawConnection.frame("d2:idi5e2:op4:nukee".getBytes(ISO_8859_1)));
            MetadataResponse.Failure f = assertInstanceOf(MetadataResponse.Failure.class, raw.readResponse());
            assertEquals(5, f.id());
            raw.send(RawConnection.frame(MetadataRequestCodec.encode(new MetadataRequest.Nodes(6))));
            assertInstanceOf(MetadataResponse.NodeList.class, raw.readResponse());
        }
    }

    @Test
    void truncatedFrameIsDisconnectedAfterTheFrameTimeout() throws Exception {
        try (RawConnection raw = new RawConnection(server.address(), PATIENCE)) {
            byte[] whole = RawConnection.frame(MetadataRequestCodec.encode(new MetadataRequest.Nodes(1)));
            raw.send(java.util.Arrays.copyOf(whole, whole.length - 3));
            assertBystanderServed();
            assertTrue(raw.closedByServer());
        }
        assertBystanderServed();
    }

    @Test
    void slowlorisTricklingAFrameIsDisconnected() throws Exception {
        byte[] whole = RawConnection.frame(MetadataRequestCodec.encode(new MetadataRequest.Search(1, "x".repeat(200), 0, 10)));
        int sent = 0;
        boolean closed = false;
        try (RawConnection raw = new RawConnection(server.address(), Duration.ofMillis(50))) {
            // One byte per 50 ms read-timeout tick: the whole frame would take over 10 s.
            for (; sent < whole.length && !closed; sent++) {
                try {
                    raw.send(new byte[]{whole[sent]});
                } catch (java.io.IOException e) {
                    closed = true;
                    break;
                }
                closed = raw.closedByServer();
            }
        }
        assertTrue(closed, "server kept a trickling connection open for " + sent + " bytes");
        assertTrue(sent < whole.length);
        assertBystanderServed();
    }

    @Test
    void silentConnectionIsClosedWhenIdleWhileAnActiveClientIsServed() throws Exception {
        restartWithShortIdleTimeout();
        try (RawConnection raw = new RawConnection(server.address(), PATIENCE)) {
            CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> {
                try {
                    return raw.closedByServer();
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            keepBystanderBusyUntil(closed);
            assertTrue(closed.get(NON_READER_PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        }
        assertBystanderServed();
    }

    @Test
    void connectionFloodIsCappedPerAddressWhileTheBystanderIsServed() throws Exception {
        List<RawConnection> flood = new ArrayList<>();
        int refused = 0;
        try {
            byte[] nodes = RawConnection.frame(MetadataRequestCodec.encode(new MetadataRequest.Nodes(1)));
            for (int i = 0; i < 60; i++) {
                RawConnection c = new RawConnection(server.address(), PATIENCE);
                flood.add(c);
                c.send(nodes);
            }
            for (RawConnection c : flood) {
                // An accepted connection answers the request; a refused one said BUSY before reading it.
                MetadataResponse r = c.readResponse();
                if (r instanceof MetadataResponse.Failure f) {
                    assertEquals(ErrorCode.BUSY, f.code());
                    refused++;
                } else {
                    assertInstanceOf(MetadataResponse.NodeList.class, r);
                }
            }
            assertBystanderServed();
        } finally {
            for (RawConnection c : flood) {
                c.close();
            }
        }
        assertEquals(60 - 19, refused); // the cap is 20 per address and the bystander holds one
        assertBystanderServed();
    }

    @Test
    void clientThatNeverReadsIsThrottledAndDroppedWhileOthersAreServed() throws Exception {
        restartWithShortIdleTimeout();
        byte[] get = RawConnection.frame(MetadataRequestCodec.encode(new MetadataRequest.GetByName(1, "served.iso")));
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < 2000; i++) {
            burst.writeBytes(get);
        }
        try (RawConnection raw = new RawConnection(server.address(), NON_READER_PATIENCE)) {
            // Never reads: the server stops reading it once its answers back up, then drops it when idle.
            CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> {
                try {
                    for (int i = 0; i < 20; i++) {
                        raw.send(burst.toByteArray());
                    }
                } catch (java.io.IOException expected) {
                    // the server closed us mid-write
                }
                try {
                    return raw.closedByServer();
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            keepBystanderBusyUntil(closed);
            assertTrue(closed.get(NON_READER_PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        }
        assertBystanderServed();
    }

    /** The bystander keeps asking (so it is served, and never idle) until {@code done} completes. */
    private void keepBystanderBusyUntil(CompletableFuture<?> done) throws Exception {
        for (int i = 0; i < 100_000 && !done.isDone(); i++) {
            assertBystanderServed();
        }
    }

    @Test
    void requestsOverTheAddressRateAreRefusedButAnswered() throws Exception {
        server.close();
        server = RunningServer.start(dir, RunningServer.config().withRequestRate(0.5, 5));
        try (RawConnection raw = new RawConnection(server.address(), PATIENCE)) {
            ByteBuffer many = ByteBuffer.allocate(20 * 64);
            for (int i = 1; i <= 20; i++) {
                many.put(RawConnection.frame(MetadataRequestCodec.encode(new MetadataRequest.Nodes(i))));
            }
            raw.send(java.util.Arrays.copyOf(many.array(), many.position()));
            int ok = 0;
            int limited = 0;
            for (int i = 0; i < 20; i++) {
                MetadataResponse r = raw.readResponse();
                if (r instanceof MetadataResponse.Failure f) {
                    assertEquals(ErrorCode.RATE_LIMITED, f.code());
                    limited++;
                } else {
                    ok++;
                }
            }
            assertEquals(5, ok); // the burst; at 0.5/s no token refills during the test
            assertEquals(15, limited);
        }
    }

    @Test
    void clientSeesConnectionLevelErrorsAsExceptions() throws Exception {
        server.close();
        server = RunningServer.start(dir, RunningServer.config().withConnectionCaps(1, 1));
        // The second connects only after the first was answered: the server's event loops could
        // otherwise see the two connections arrive in either order.
        try (MetadataClient first = server.client()) {
            first.nodes();
            try (MetadataClient second = server.client()) {
                assertThrows(java.io.IOException.class, second::nodes);
            }
        }
    }
}
