package io.kadtorrent.metadata.signing;

import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SigningKeyTest {

    @TempDir
    Path dir;

    @Test
    void keyFilesRoundTripAndThePublicHalfVerifiesThePrivateHalfsSignatures() throws Exception {
        SigningKey key = SigningKey.generate(new SecureRandom());
        Path file = dir.resolve("publisher.key");
        key.writeTo(file);

        SigningKey reread = SigningKey.read(file);
        PublisherKey pub = PublisherKey.read(dir.resolve("publisher.key.pub"));
        assertEquals(key.publicKey(), pub);
        Metainfo m = TestTorrents.parse(TestTorrents.singleFile("x", 10, 3));
        TorrentSignature s = TorrentSignature.sign(reread, m);
        assertTrue(new TorrentSignature(pub, s.signature()).verifies(m));
    }

    @Test
    void privateKeyFileIsReadableOnlyByItsOwner() throws Exception {
        Path file = dir.resolve("k");
        SigningKey.generate(new SecureRandom()).writeTo(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void publicKeyFileHasItsHeaderAndHex() throws Exception {
        SigningKey key = SigningKey.generate(new SecureRandom());
        key.writeTo(dir.resolve("k"));
        String text = Files.readString(dir.resolve("k.pub"));
        assertEquals("kadtorrent-ed25519-public-key-v1\n" + key.publicKey().hex() + "\n", text);
    }

    @Test
    void neverOverwritesAnExistingKey() throws Exception {
        Path file = dir.resolve("k");
        SigningKey.generate(new SecureRandom()).writeTo(file);
        String before = Files.readString(file);
        assertThrows(FileAlreadyExistsException.class, () -> SigningKey.generate(new SecureRandom()).writeTo(file));
        assertEquals(before, Files.readString(file));
    }

    @Test
    void publicKeyFileIsNotAcceptedAsPrivateKeyAndViceVersa() throws Exception {
        Path file = dir.resolve("k");
        SigningKey.generate(new SecureRandom()).writeTo(file);
        assertThrows(KeyFileException.class, () -> SigningKey.read(dir.resolve("k.pub")));
        assertThrows(KeyFileException.class, () -> PublisherKey.read(file));
    }

    @Test
    void malformedKeyFileGetsAClearError() throws Exception {
        Path file = dir.resolve("bad.pub");
        Files.writeString(file, "kadtorrent-ed25519-public-key-v1\nnothex\n");
        KeyFileException e = assertThrows(KeyFileException.class, () -> PublisherKey.read(file));
        assertTrue(e.getMessage().contains("64 hex digits"), e.getMessage());
    }
}
