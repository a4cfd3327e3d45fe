package io.kadtorrent.engine.ext;

import io.kadtorrent.engine.ext.MetadataAssembler.Outcome;
import io.kadtorrent.engine.ext.MetadataAssembler.PieceRequest;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataAssemblerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A torrent whose info dictionary needs 3 metadata pieces (2 full, 1 short). */
    private final Metainfo torrent = TestTorrents.withPieces(2_000, 1);
    private final MetadataServing honest = MetadataServing.of(torrent);
    /** Serves a different torrent of the same metadata size: well-formed data that fails the hash. */
    private final MetadataServing liar = MetadataServing.of(TestTorrents.withPieces(2_000, 2));

    private final MetadataAssembler<String> assembler = new MetadataAssembler<>(torrent.infoHash());

    /** Answers every request from the peer's MetadataServing until nothing is requested; returns the outcomes. */
    private List<Outcome> run(Map<String, MetadataServing> peers) {
        List<Outcome> outcomes = new ArrayList<>();
        for (int round = 0; round < 100 && !assembler.isDone(); round++) {
            List<PieceRequest<String>> requests = assembler.poll(T0);
            if (requests.isEmpty()) {
                break;
            }
            outcomes.addAll(answer(peers, requests));
        }
        return outcomes;
    }

    private List<Outcome> answer(Map<String, MetadataServing> peers, List<PieceRequest<String>> requests) {
        List<Outcome> outcomes = new ArrayList<>();
        for (PieceRequest<String> r : requests) {
            MetadataMessage answer = peers.get(r.peer()).answer(new MetadataMessage.Request(r.piece()));
            if (answer instanceof MetadataMessage.Data d) {
                outcomes.add(assembler.onData(r.peer(), d));
            } else {
                assembler.onReject(r.peer(), r.piece());
            }
        }
        return outcomes;
    }

    @Test
    void assemblesMetadataFromSeveralPeersAndVerifiesIt() {
        assertEquals(3, new MetadataLayout(honest.metadataSizeBytes()).pieceCount());
        assembler.addPeer("a", honest.metadataSizeBytes());
        assembler.addPeer("b", honest.metadataSizeBytes());

        List<PieceRequest<String>> first = assembler.poll(T0);
        Set<String> asked = new HashSet<>();
        first.forEach(r -> asked.add(r.peer()));
        assertEquals(Set.of("a", "b"), asked, "requests are spread over the peers");

        Map<String, MetadataServing> peers = Map.of("a", honest, "b", honest);
        List<Outcome> outcomes = new ArrayList<>(answer(peers, first));
        outcomes.addAll(run(peers));
        assertEquals(Outcome.COMPLETE, outcomes.get(outcomes.size() - 1));
        Metainfo fetched = assembler.metainfo().orElseThrow();
        assertEquals(torrent.infoHash(), fetched.infoHash());
        assertArrayEquals(torrent.rawInfo(), fetched.rawInfo());
    }

    @Test
    void liarAmongHonestPeersIsFoundAndBannedAndDownloadStillCompletes() {
        assembler.addPeer("liar", liar.metadataSizeBytes());
        assembler.addPeer("honest1", honest.metadataSizeBytes());
        assembler.addPeer("honest2", honest.metadataSizeBytes());

        List<Outcome> outcomes = run(Map.of("liar", liar, "honest1", honest, "honest2", honest));

        assertTrue(outcomes.contains(Outcome.HASH_MISMATCH), "mixed data must fail the info_hash check first");
        assertEquals(Outcome.COMPLETE, outcomes.get(outcomes.size() - 1));
        assertEquals(torrent.infoHash(), assembler.metainfo().orElseThrow().infoHash());
        assertTrue(assembler.isBanned("liar"));
        assertFalse(assembler.isBanned("honest1"));
        assertFalse(assembler.isBanned("honest2"));
        assertEquals(List.of("liar"), assembler.takeNewlyBanned());
        assertEquals(List.of(), assembler.takeNewlyBanned());
    }

    @Test
    void loneLiarIsBannedAndNothingIsAccepted() {
        assembler.addPeer("liar", liar.metadataSizeBytes());
        List<Outcome> outcomes = run(Map.of("liar", liar));
        assertEquals(Outcome.HASH_MISMATCH, outcomes.get(outcomes.size() - 1));
        assertTrue(assembler.isBanned("liar"));
        assertTrue(assembler.metainfo().isEmpty());
        assertEquals(List.of(), assembler.poll(T0), "a banned peer is never asked again");
        assertFalse(assembler.addPeer("liar", liar.metadataSizeBytes()), "a re-handshake does not lift the ban");
    }

    @Test
    void dataWithTotalSizeOtherThanAdvertisedBansThePeer() {
        assembler.addPeer("a", honest.metadataSizeBytes());
        PieceRequest<String> r = assembler.poll(T0).get(0);
        int wrongTotal = honest.metadataSizeBytes() + 1;
        byte[] data = new byte[new MetadataLayout(wrongTotal).pieceLengthBytes(r.piece())];
        assertEquals(Outcome.BANNED, assembler.onData("a", new MetadataMessage.Data(r.piece(), wrongTotal, data)));
        assertTrue(assembler.isBanned("a"));
    }

    @Test
    void rejectedPieceGoesToAnotherPeer() {
        assembler.addPeer("refuser", honest.metadataSizeBytes());
        assembler.addPeer("giver", honest.metadataSizeBytes());
        List<PieceRequest<String>> requests = assembler.poll(T0);
        requests.stream().filter(r -> r.peer().equals("refuser"))
                .forEach(r -> assembler.onReject("refuser", r.piece()));
        List<PieceRequest<String>> retry = assembler.poll(T0);
        assertFalse(retry.isEmpty());
        assertTrue(retry.stream().allMatch(r -> r.peer().equals("giver")), retry.toString());
    }

    @Test
    void timedOutRequestIsReassigned() {
        assembler.addPeer("silent", honest.metadataSizeBytes());
        PieceRequest<String> first = assembler.poll(T0).get(0);
        assertEquals("silent", first.peer());
        assembler.addPeer("fast", honest.metadataSizeBytes());
        List<PieceRequest<String>> before = assembler.poll(T0.plusSeconds(1));
        assertTrue(before.stream().noneMatch(r -> r.piece() == first.piece()), "still waiting for silent");

        List<PieceRequest<String>> after = assembler.poll(T0.plus(MetadataAssembler.REQUEST_TIMEOUT));
        assertTrue(after.contains(new PieceRequest<>("fast", first.piece())), after.toString());
    }

    @Test
    void disconnectedPeersRequestsGoToOthers() {
        assembler.addPeer("a", honest.metadataSizeBytes());
        List<PieceRequest<String>> toA = assembler.poll(T0);
        assembler.addPeer("b", honest.metadataSizeBytes());
        assembler.removePeer("a");
        List<PieceRequest<String>> toB = assembler.poll(T0);
        assertEquals(toA.stream().map(PieceRequest::piece).toList(),
                toB.stream().map(PieceRequest::piece).toList());
        assertTrue(toB.stream().allMatch(r -> r.peer().equals("b")));
    }

    @Test
    void sizeAdvertisedByMostPeersIsFetchedFirst() {
        assembler.addPeer("odd", honest.metadataSizeBytes() + 5);
        assembler.addPeer("a", honest.metadataSizeBytes());
        assembler.addPeer("b", honest.metadataSizeBytes());
        assertTrue(assembler.poll(T0).stream().noneMatch(r -> r.peer().equals("odd")));
    }

    @Test
    void peerWithoutMetadataIsNoSource() throws Exception {
        ExtensionHandshake magnetPeer = ExtensionHandshake.ours("x", 1, 0, 10);
        assertFalse(assembler.addPeer("m", magnetPeer));
        assertEquals(List.of(), assembler.poll(T0));
    }

    @Test
    void requestsPerPeerAreBounded() {
        assembler.addPeer("a", honest.metadataSizeBytes());
        assertEquals(MetadataAssembler.MAX_REQUESTS_PER_PEER, assembler.poll(T0).size());
        assertEquals(List.of(), assembler.poll(T0.plusSeconds(1)));
    }

    @Test
    void unsolicitedDataAfterCompletionIsIgnored() {
        assembler.addPeer("a", honest.metadataSizeBytes());
        run(Map.of("a", honest));
        assertTrue(assembler.isDone());
        assertEquals(Outcome.IGNORED, assembler.onData("a",
                (MetadataMessage.Data) honest.answer(new MetadataMessage.Request(0))));
        assertEquals(Duration.ofSeconds(30), MetadataAssembler.REQUEST_TIMEOUT);
    }
}
