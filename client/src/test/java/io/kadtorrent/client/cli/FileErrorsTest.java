package io.kadtorrent.client.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** File errors name the path the user gave and say why, never just a (temp) path. */
class FileErrorsTest {

    @TempDir
    Path dir;

    @Test
    void permissionDeniedSaysSoAndNamesTheGivenPath() {
        IOException e = CliErrors.aboutPath("cannot write", Path.of("photos.torrent"),
                new AccessDeniedException("/home/u/.photos.torrent.123.tmp"));
        assertEquals("cannot write photos.torrent: permission denied", e.getMessage());
        assertEquals("/data/x: permission denied", CliErrors.message(new AccessDeniedException("/data/x")));
        assertEquals("/data/x: Read-only file system",
                CliErrors.message(new FileSystemException("/data/x", null, "Read-only file system")));
    }

    @Test
    void createIntoAFolderItMayNotWriteNamesTheOutputNotItsTempFile() throws Exception {
        // sysfs refuses new files even to root, so this is a real EACCES wherever the tests run
        Path sys = Path.of("/sys/kernel");
        assumeTrue(Files.isDirectory(sys) && !Files.isWritable(sys.resolve("kadtorrent-test.torrent")));
        Path source = Files.writeString(dir.resolve("a.txt"), "hello");
        Path out = sys.resolve("kadtorrent-test.torrent");
        CliRun run = CliRun.of("create", source.toString(), "-o", out.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().strip().startsWith("error: cannot write " + out + ": "), run.err());
        assertFalse(run.err().contains(".tmp"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void infoOfAFolderNamesIt() {
        CliRun run = CliRun.of("info", dir.toString());
        assertEquals(1, run.exitCode());
        assertEquals("error: " + dir + " is a folder, not a .torrent file", run.err().strip());
    }

    @Test
    void keygenIntoAMissingFolderNamesTheKeyFile() {
        Path key = dir.resolve("no/such/alice.key");
        CliRun run = CliRun.of("keygen", "-o", key.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("error: cannot write " + key + ": "), run.err());
    }
}
