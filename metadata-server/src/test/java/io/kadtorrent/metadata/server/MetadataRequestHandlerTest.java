package io.kadtorrent.metadata.server;

import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.metadata.catalog.Catalog;
import io.kadtorrent.metadata.protocol.ErrorCode;
import io.kadtorrent.metadata.protocol.MetadataRequest;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.metadata.signing.UnpublishSignature;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The request handler on an EmbeddedChannel (records in, records out). */
class MetadataRequestHandlerTest {

    @TempDir
    Path dir;

    private EmbeddedChannel channel(Executor publishExecutor) throws Exception {
        MetadataResponder responder = new MetadataResponder(Catalog.open(dir), BootstrapNodes.fixed(List.of()),
                PublishPolicy.openToAll());
        return new EmbeddedChannel(new MetadataRequestHandler(responder, publishExecutor));
    }

    private static MetadataRequest.Publish publish() {
        byte[] t = TestTorrents.singleFile("a", 10, 1);
        return new MetadataRequest.Publish(4, t, TorrentSignature.sign(SigningKey.generate(new SecureRandom()), TestTorrents.parse(t)));
    }

    @Test
    void publishRunsOnThePublishExecutorAndIsAnswered() throws Exception {
        EmbeddedChannel ch = channel(Runnable::run);
        ch.writeInbound(publish());
        MetadataResponse.Published p = assertInstanceOf(MetadataResponse.Published.class, ch.readOutbound());
        assertEquals(4, p.id());
        ch.finishAndReleaseAll();
    }

    @Test
    void publishBeyondTheQueueIsAnsweredBusy() throws Exception {
        EmbeddedChannel ch = channel(r -> {
            throw new RejectedExecutionException("full");
        });
        ch.writeInbound(publish());
        MetadataResponse.Failure f = assertInstanceOf(MetadataResponse.Failure.class, ch.readOutbound());
        assertEquals(ErrorCode.BUSY, f.code());
        assertEquals(4, f.id());
        ch.finishAndReleaseAll();
    }

    @Test
    void unpublishWaitsForThePublishExecutorAndIsCheckedAgainstTheServerClock() throws Exception {
        SigningKey key = SigningKey.generate(new SecureRandom());
        byte[] t = TestTorrents.singleFile("a", 10, 1);
        Catalog catalog = Catalog.open(dir);
        var m = TestTorrents.parse(t);
        catalog.publish(t, m, TorrentSignature.sign(key, m));
        Instant serverNow = Instant.parse("2030-01-01T00:00:00Z");
        MetadataResponder responder = new MetadataResponder(catalog, BootstrapNodes.fixed(List.of()),
                PublishPolicy.openToAll(), Clock.fixed(serverNow, ZoneOffset.UTC));
        List<Runnable> queued = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new MetadataRequestHandler(responder, queued::add));

        // Signed by a client whose clock is an hour behind the server's: refused.
        ch.writeInbound(new MetadataRequest.Unpublish(5,
                UnpublishSignature.sign(key, m.infoHash(), serverNow.minus(Duration.ofHours(1)))));
        ch.writeInbound(new MetadataRequest.Unpublish(6, UnpublishSignature.sign(key, m.infoHash(), serverNow)));
        assertNull(ch.readOutbound()); // nothing answered before the disk thread ran
        queued.forEach(Runnable::run);
        MetadataResponse.Failure stale = assertInstanceOf(MetadataResponse.Failure.class, ch.readOutbound());
        assertEquals(ErrorCode.BAD_SIGNATURE, stale.code());
        assertEquals(new MetadataResponse.Unpublished(6, m.infoHash()), ch.readOutbound());
        assertEquals(0, catalog.size());
        ch.finishAndReleaseAll();
    }

    @Test
    void readsAreAnsweredInline() throws Exception {
        EmbeddedChannel ch = channel(Runnable::run);
        ch.writeInbound(new MetadataRequest.ListTorrents(9, 0, 10));
        MetadataResponse.Page page = assertInstanceOf(MetadataResponse.Page.class, ch.readOutbound());
        assertEquals(new MetadataResponse.Page(9, List.of(), 0, 0), page);
        ch.finishAndReleaseAll();
    }

    @Test
    void idleEventClosesTheConnection() throws Exception {
        EmbeddedChannel ch = channel(Runnable::run);
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
    }
}
