package io.kadtorrent.client.interop;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code bench/wire/interop.sh} (our get from a libtorrent seeder, libtorrent get from our
 * seeder, both copies diffed) under {@code mvn -Pinterop}. The script installs python3-libtorrent
 * when missing and builds the jar when it is not there yet.
 */
@Tag("interop")
class LibtorrentInteropIT {

    @Test
    void libtorrentAndKadtorrentDownloadFromEachOther() throws Exception {
        String out = InteropScript.runPassing("wire/interop.sh", Duration.ofMinutes(15));
        assertTrue(out.contains("interop: PASS"), out);
    }
}
