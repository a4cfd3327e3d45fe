package io.kadtorrent.metadata.protocol;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.metainfo.InfoHash;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetadataCodecProperties {

    @Property
    void searchRoundTrips(@ForAll @LongRange(min = 0) long id, @ForAll("text") String pattern,
                          @ForAll @IntRange(min = 0) int offset, @ForAll @IntRange(min = 1, max = 1000) int limit)
            throws Exception {
        MetadataRequest r = new MetadataRequest.Search(id, pattern, offset, limit);
        assertEquals(r, MetadataRequestCodec.decode(MetadataRequestCodec.encode(r)));
    }

    @Property
    void publishRoundTrips(@ForAll @LongRange(min = 0) long id, @ForAll byte[] torrent,
                           @ForAll("keys") byte[] key, @ForAll("signatures") byte[] signature) throws Exception {
        MetadataRequest r = new MetadataRequest.Publish(id, torrent, new TorrentSignature(PublisherKey.of(key), signature));
        assertEquals(r, MetadataRequestCodec.decode(MetadataRequestCodec.encode(r)));
    }

    @Property
    void torrentResponseRoundTrips(@ForAll @LongRange(min = 0) long id, @ForAll byte[] torrent,
                                   @ForAll("keys") byte[] key, @ForAll("signatures") byte[] signature) throws Exception {
        MetadataResponse r = new MetadataResponse.Torrent(id, torrent, new TorrentSignature(PublisherKey.of(key), signature));
        assertEquals(r, MetadataResponseCodec.decode(MetadataResponseCodec.encode(r)));
    }

    @Property
    void pageRoundTrips(@ForAll @LongRange(min = 0) long id, @ForAll("summaries") List<TorrentSummary> entries,
                        @ForAll @IntRange(min = 0, max = 1 << 20) int offset) throws Exception {
        MetadataResponse r = new MetadataResponse.Page(id, entries, offset + entries.size(), offset);
        assertEquals(r, MetadataResponseCodec.decode(MetadataResponseCodec.encode(r)));
    }

    @Property
    void failureAndNodesRoundTrip(@ForAll @LongRange(min = 0) long id, @ForAll("text") String message,
                                  @ForAll @IntRange(min = 1, max = 65535) int port) throws Exception {
        for (ErrorCode code : ErrorCode.values()) {
            MetadataResponse f = new MetadataResponse.Failure(id, code, message);
            assertEquals(f, MetadataResponseCodec.decode(MetadataResponseCodec.encode(f)));
        }
        MetadataResponse n = new MetadataResponse.NodeList(id, List.of(HostAndPort.fromParts("127.0.0.1", port)));
        assertEquals(n, MetadataResponseCodec.decode(MetadataResponseCodec.encode(n)));
    }

    /** Any mutation of a valid frame decodes or is refused with our exception; nothing else escapes. */
    @Property
    void mutatedRequestsFailOnlyWithProtocolErrors(@ForAll("text") String pattern,
                                                   @ForAll @IntRange(min = 0, max = 200) int position,
                                                   @ForAll byte replacement, @ForAll boolean truncate) {
        byte[] frame = MetadataRequestCodec.encode(new MetadataRequest.Search(3, pattern, 0, 10));
        int at = position % frame.length;
        byte[] mutated = truncate ? java.util.Arrays.copyOf(frame, at) : frame.clone();
        if (!truncate) {
            mutated[at] = replacement;
        }
        try {
            MetadataRequestCodec.decode(mutated);
        } catch (MetadataProtocolException expected) {
            // refused cleanly
        }
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().ofMaxLength(100);
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32);
    }

    @Provide
    Arbitrary<byte[]> signatures() {
        return Arbitraries.bytes().array(byte[].class).ofSize(64);
    }

    @Provide
    Arbitrary<List<TorrentSummary>> summaries() {
        Arbitrary<TorrentSummary> one = Combinators.combine(
                Arbitraries.bytes().array(byte[].class).ofSize(20).map(InfoHash::of),
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.integers().between(0, 100_000),
                keys().map(PublisherKey::of).optional()).as(TorrentSummary::new);
        return one.list().ofMaxSize(20);
    }
}
