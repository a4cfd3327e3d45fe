package io.kadtorrent.metadata.signing;

import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnpublishSignatureTest {

    private final SecureRandom random = new SecureRandom();
    private final SigningKey key = SigningKey.generate(random);
    private final Metainfo torrent = TestTorrents.parse(TestTorrents.singleFile("a.iso", 100_000, 1));
    private final InfoHash h = torrent.infoHash();
    private final Instant now = Instant.ofEpochSecond(1_800_000_000L);

    @Test
    void signedMessageIsContextThenInfoHashThenBigEndianTime() {
        byte[] m = UnpublishSignature.message(h, 0x0102030405060708L);
        assertEquals(23 + 20 + 8, m.length);
        assertArrayEquals("kadtorrent-unpublish-v1".getBytes(US_ASCII), Arrays.copyOf(m, 23));
        assertArrayEquals(h.bytes(), Arrays.copyOfRange(m, 23, 43));
        assertEquals(0x0102030405060708L, ByteBuffer.wrap(m, 43, 8).getLong());
    }

    @Test
    void signatureVerifiesOnlyForItsKeyInfoHashAndTime() {
        UnpublishSignature s = UnpublishSignature.sign(key, h, now);
        assertTrue(s.verifies());
        assertEquals(now.getEpochSecond(), s.timeSeconds());
        InfoHash other = TestTorrents.parse(TestTorrents.singleFile("a.iso", 100_000, 2)).infoHash();
        assertFalse(new UnpublishSignature(s.key(), other, s.timeSeconds(), s.signature()).verifies());
        assertFalse(new UnpublishSignature(s.key(), h, s.timeSeconds() + 1, s.signature()).verifies());
        assertFalse(new UnpublishSignature(SigningKey.generate(random).publicKey(), h, s.timeSeconds(), s.signature())
                .verifies());
    }

    @Test
    void publishAndUnpublishSignaturesCannotStandInForEachOther() {
        TorrentSignature publish = TorrentSignature.sign(key, torrent);
        UnpublishSignature unpublish = UnpublishSignature.sign(key, h, now);
        assertFalse(new UnpublishSignature(key.publicKey(), h, now.getEpochSecond(), publish.signature()).verifies());
        assertFalse(new TorrentSignature(key.publicKey(), unpublish.signature()).verifies(torrent));
        // Structurally too: a publish signs a bencoded dictionary ('d'), an unpublish message starts with 'k'.
        assertEquals('d', torrent.rawInfo()[0]);
        assertEquals('k', UnpublishSignature.message(h, now.getEpochSecond())[0]);
    }

    @Test
    void freshWithinTenMinutesEitherWayOfTheServerClock() {
        long t = now.getEpochSecond();
        assertTrue(at(t).isFresh(now));
        assertTrue(at(t - 600).isFresh(now));
        assertTrue(at(t + 600).isFresh(now));
        assertFalse(at(t - 601).isFresh(now));
        assertFalse(at(t + 601).isFresh(now));
        assertFalse(at(Long.MIN_VALUE).isFresh(now));
        assertFalse(at(Long.MAX_VALUE).isFresh(now));
    }

    private UnpublishSignature at(long timeSeconds) {
        return new UnpublishSignature(key.publicKey(), h, timeSeconds, new byte[TorrentSignature.LENGTH]);
    }
}
