package io.kadtorrent.engine.session;

import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A session's own resume folder: cleared of interrupted saves once, when the session starts. */
class ResumeDirTest {

    private static final int PIECE = 16 * 1024;

    @TempDir
    Path tmp;
    @RegisterExtension
    final LocalSessions sessions = new LocalSessions();

    @Test
    void aStartingSessionDeletesInterruptedSavesAndTheTorrentsComeBackVerified() throws Exception {
        Path data = tmp.resolve("data");
        Path resumeDir = tmp.resolve("resume");
        Metainfo m = TestTorrents.singleFile(data, "f.bin", 7 * PIECE + 100, PIECE, 5);
        Session first = sessions.start(LocalSessions.LOOPBACK.withResumeDir(resumeDir));
        first.add(m, data).completion().get(30, TimeUnit.SECONDS);
        sessions.closeNow(first); // saves the resume data
        Path resume = resumeDir.resolve(m.infoHash().hex() + ".resume");
        assertTrue(Files.isRegularFile(resume));
        // what a kill during a save leaves (AtomicFile's temp name), and a file of someone else's
        Path leftover = Files.writeString(resumeDir.resolve("." + resume.getFileName() + "8151.tmp"), "torn");
        Path unrelated = Files.writeString(resumeDir.resolve("notes.txt"), "kept");

        Session second = sessions.start(LocalSessions.LOOPBACK.withResumeDir(resumeDir));
        assertFalse(Files.exists(leftover), "the interrupted save is gone before any torrent is added");
        assertTrue(Files.exists(unrelated));
        Torrent back = second.add(m, data);
        back.completion().get(30, TimeUnit.SECONDS);
        assertEquals(m.totalBytes(), back.statsWithin(Duration.ofSeconds(30)).orElseThrow().verifiedBytes());
        assertTrue(Files.isRegularFile(resume));
    }
}
