package io.kadtorrent.torrent.metainfo;

import io.kadtorrent.torrent.bencode.BencodeCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class MetainfoParserProperties {

    private static final byte[] VALID = TorrentFixtures.torrent(
            TorrentFixtures.multiFileInfo("dir", 16384, 20_000, "a/b", "c", "d/e/f"));

    @Property(tries = 2000)
    void randomBytesOnlyEverGiveInvalidMetainfo(@ForAll @Size(max = 300) byte[] junk) {
        parseExpectingOnlyOurException(junk);
    }

    @Property(tries = 1000)
    void bencodeShapedJunkOnlyEverGivesInvalidMetainfo(@ForAll("bencodeish") String text) {
        parseExpectingOnlyOurException(text.getBytes(ISO_8859_1));
    }

    @Property(tries = 2000)
    void mutatedTorrentsParseOrGiveInvalidMetainfo(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int edits) {
        byte[] bytes = VALID.clone();
        Random random = new Random(seed);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(3)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> bytes[at] = "0123456789ield:-".getBytes(ISO_8859_1)[random.nextInt(16)];
                default -> bytes = java.util.Arrays.copyOf(bytes, at); // truncate
            }
            if (bytes.length == 0) {
                break;
            }
        }
        parseExpectingOnlyOurException(bytes);
    }

    @Property(tries = 200)
    void infoHashIsTheSha1OfTheInfoBytesAsWrittenInAnyKeyOrder(@ForAll long seed,
                                                               @ForAll @IntRange(min = 1, max = 200_000) int length) throws Exception {
        Map<String, Object> info = TorrentFixtures.singleFileInfo("f", length, 16384);
        info.put("x-extra", "unknown keys stay in the hash");
        List<String> keys = new ArrayList<>(info.keySet());
        Collections.shuffle(keys, new Random(seed));
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write('d');
        for (String k : keys) {
            raw.writeBytes(BencodeCodec.encode(k));
            raw.writeBytes(BencodeCodec.encode(info.get(k)));
        }
        raw.write('e');
        byte[] rawInfo = raw.toByteArray();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes("d7:comment2:hi4:info".getBytes(ISO_8859_1));
        file.writeBytes(rawInfo);
        file.write('e');
        Metainfo m = MetainfoParser.parse(file.toByteArray());
        assertArrayEquals(MessageDigest.getInstance("SHA-1").digest(rawInfo), m.infoHash().bytes());
        assertEquals(m.infoHash(), MetainfoParser.parse(m.toBytes()).infoHash());
    }

    @Provide
    Arbitrary<String> bencodeish() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of("d", "l", "e", "i", ":", "-", "0", "4:info", "12:piece length", "6:pieces",
                        "4:name", "6:length", "5:files", "4:path", "5:nodes", "i-1e", "i99999999999e",
                        "20:", "99999999:", "1:a", "2:..", "0:"),
                Arbitraries.integers().between(0, 100).map(String::valueOf));
        return Combinators.combine(token.list().ofMaxSize(40), Arbitraries.just(""))
                .as((tokens, ignored) -> String.join("", tokens));
    }

    /** Anything but our exception (or a successful parse) fails the property; a hang fails by timeout. */
    private static void parseExpectingOnlyOurException(byte[] input) {
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
            try {
                MetainfoParser.parse(input);
            } catch (InvalidMetainfoException expected) {
                // the only allowed failure
            }
        });
    }
}
