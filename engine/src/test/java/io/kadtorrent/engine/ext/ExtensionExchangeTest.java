package io.kadtorrent.engine.ext;

import io.kadtorrent.engine.ext.ExtensionExchange.Outgoing;
import io.kadtorrent.engine.ext.ExtensionExchange.Received;
import io.kadtorrent.engine.ext.MetadataAssembler.Outcome;
import io.kadtorrent.engine.ext.MetadataAssembler.PieceRequest;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtensionExchangeTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Metainfo torrent = TestTorrents.withPieces(2_000, 5);

    /** Delivers {@code out} to {@code to} as if it crossed the wire. */
    private static Received deliver(Outgoing out, ExtensionExchange to) throws ExtensionProtocolException {
        return to.onExtended(out.extendedId(), out.payload());
    }

    @Test
    void magnetPeerFetchesMetadataFromSeederThroughTwoExchanges() throws Exception {
        ExtensionExchange seeder = new ExtensionExchange(Optional.of(MetadataServing.of(torrent)));
        ExtensionExchange leecher = new ExtensionExchange(Optional.empty());
        Received seederHello = deliver(seeder.handshake("kadtorrent", 6881, 250, Optional.empty(), false), leecher);
        deliver(leecher.handshake("kadtorrent", 6882, 250, Optional.empty(), false), seeder);

        MetadataAssembler<String> assembler = new MetadataAssembler<>(torrent.infoHash());
        assertTrue(assembler.addPeer("seeder", ((Received.Handshake) seederHello).handshake()));
        Outcome last = null;
        for (int round = 0; round < 10 && !assembler.isDone(); round++) {
            for (PieceRequest<String> r : assembler.poll(T0)) {
                Received atSeeder = deliver(leecher.request(r.piece()).orElseThrow(), seeder);
                Outgoing reply = ((Received.Answered) atSeeder).reply().orElseThrow();
                Received atLeecher = deliver(reply, leecher);
                last = assembler.onData("seeder", (MetadataMessage.Data) ((Received.Metadata) atLeecher).message());
            }
        }
        assertEquals(Outcome.COMPLETE, last);
        assertEquals(torrent.infoHash(), assembler.metainfo().orElseThrow().infoHash());
    }

    @Test
    void peerWithoutMetadataRejectsRequests() throws Exception {
        ExtensionExchange magnet = new ExtensionExchange(Optional.empty());
        ExtensionExchange asker = new ExtensionExchange(Optional.empty());
        deliver(asker.handshake("a", 1, 10, Optional.empty(), false), magnet);
        deliver(magnet.handshake("b", 2, 10, Optional.empty(), false), asker);
        Outgoing reply = ((Received.Answered) deliver(asker.request(0).orElseThrow(), magnet)).reply().orElseThrow();
        Received got = deliver(reply, asker);
        assertEquals(new MetadataMessage.Reject(0), ((Received.Metadata) got).message());
    }

    @Test
    void noRequestsToAPeerThatDidNotAdvertiseUtMetadata() throws Exception {
        ExtensionExchange exchange = new ExtensionExchange(Optional.empty());
        assertEquals(Optional.empty(), exchange.request(0), "before any handshake");
        exchange.onExtended(ExtensionCodec.HANDSHAKE_ID, ExtensionCodec.encode(
                new ExtensionHandshake(java.util.Map.of("ut_pex", 1), Optional.empty(),
                        java.util.OptionalInt.empty(), java.util.OptionalInt.empty(), java.util.OptionalInt.empty())));
        assertEquals(Optional.empty(), exchange.request(0));
    }

    @Test
    void floodOfRequestsIsRejectedOnceEveryPieceWasServedSeveralTimes() throws Exception {
        ExtensionExchange seeder = new ExtensionExchange(Optional.of(MetadataServing.of(torrent)));
        ExtensionExchange greedy = new ExtensionExchange(Optional.empty());
        deliver(greedy.handshake("g", 1, 10, Optional.empty(), false), seeder);
        deliver(seeder.handshake("s", 2, 10, Optional.empty(), false), greedy);
        int pieces = new MetadataLayout(torrent.rawInfo().length).pieceCount();
        int data = 0;
        for (int i = 0; i < 100; i++) {
            Outgoing reply = ((Received.Answered) deliver(greedy.request(i % pieces).orElseThrow(), seeder))
                    .reply().orElseThrow();
            if (((Received.Metadata) deliver(reply, greedy)).message() instanceof MetadataMessage.Data) {
                data++;
            }
        }
        assertEquals(ExtensionExchange.MAX_ANSWERS_PER_PIECE * pieces, data);
    }

    @Test
    void unknownExtensionIsIgnored() throws Exception {
        assertInstanceOf(Received.Ignored.class, new ExtensionExchange(Optional.empty()).onExtended(77, new byte[3]));
    }
}
