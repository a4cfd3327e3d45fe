package io.kadtorrent.client.interop;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code bench/wire/interop_encrypted.sh} under {@code mvn -Pinterop}: libtorrent requiring MSE/PE RC4
 * (pe_forced, pe_rc4) and kadtorrent with {@code --encryption require} download from each other, both
 * copies diffed. Neither side accepts plain text, so a pass means the whole transfer ran over RC4.
 */
@Tag("interop")
class LibtorrentEncryptedInteropIT {

    @Test
    void libtorrentAndKadtorrentRequiringEncryptionDownloadFromEachOther() throws Exception {
        String out = InteropScript.runPassing("wire/interop_encrypted.sh", Duration.ofMinutes(15));
        assertTrue(out.contains("encryption: require on both sides"), out);
        assertTrue(out.contains("interop: PASS"), out);
    }
}
