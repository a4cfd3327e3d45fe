package io.kadtorrent.metadata.signing;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorrentSignatureTest {

    private final SecureRandom random = new SecureRandom();
    private final Metainfo torrent = TestTorrents.parse(TestTorrents.singleFile("a.iso", 100_000, 1));

    @Test
    void signatureOfTheInfoVerifiesWithTheSignersKey() {
        SigningKey key = SigningKey.generate(random);
        TorrentSignature s = TorrentSignature.sign(key, torrent);
        assertEquals(key.publicKey(), s.key());
        assertTrue(s.verifies(torrent));
    }

    @Test
    void signatureStaysValidWhenNodesOutsideInfoAreRewritten() {
        TorrentSignature s = TorrentSignature.sign(SigningKey.generate(random), torrent);
        Metainfo served = torrent.withNodes(List.of(HostAndPort.fromParts("127.0.0.1", 6881)));
        assertTrue(s.verifies(served));
    }

    @Test
    void signatureDoesNotVerifyAnotherTorrent() {
        TorrentSignature s = TorrentSignature.sign(SigningKey.generate(random), torrent);
        Metainfo other = TestTorrents.parse(TestTorrents.singleFile("a.iso", 100_000, 2));
        assertFalse(s.verifies(other));
    }

    @Test
    void signatureClaimedForAnotherKeyDoesNotVerify() {
        TorrentSignature real = TorrentSignature.sign(SigningKey.generate(random), torrent);
        TorrentSignature forged = new TorrentSignature(SigningKey.generate(random).publicKey(), real.signature());
        assertFalse(forged.verifies(torrent));
    }

    @Test
    void flippedSignatureBitDoesNotVerify() {
        TorrentSignature real = TorrentSignature.sign(SigningKey.generate(random), torrent);
        byte[] sig = real.signature();
        sig[10] ^= 1;
        assertFalse(new TorrentSignature(real.key(), sig).verifies(torrent));
    }

    @Test
    void keyThatIsNotACurvePointVerifiesNothing() {
        byte[] bogus = new byte[32];
        java.util.Arrays.fill(bogus, (byte) 0xff);
        TorrentSignature s = new TorrentSignature(PublisherKey.of(bogus), new byte[64]);
        assertFalse(s.verifies(torrent));
    }

    @Test
    void rejectsSignatureOfWrongLength() {
        PublisherKey key = SigningKey.generate(random).publicKey();
        assertThrows(IllegalArgumentException.class, () -> new TorrentSignature(key, new byte[63]));
    }

    @Test
    void signatureFileTextRoundTrips() throws Exception {
        TorrentSignature s = TorrentSignature.sign(SigningKey.generate(random), torrent);
        assertEquals(s, SignatureFileText.parse("x.sig", SignatureFileText.format(s)));
    }

    @Test
    void damagedSignatureFileTextIsRefusedByName() {
        KeyFileException e = assertThrows(KeyFileException.class,
                () -> SignatureFileText.parse("abc.sig", "kadtorrent-signature-v1\nkey 00\nsignature 00\n"));
        assertTrue(e.getMessage().startsWith("abc.sig"), e.getMessage());
    }
}
