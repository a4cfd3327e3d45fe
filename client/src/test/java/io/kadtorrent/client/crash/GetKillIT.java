package io.kadtorrent.client.crash;

import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kadtorrent get} downloading from a (rate-limited) seeder on 127.0.0.1 is killed with SIGKILL at
 * seeded random moments and run again with the same command, until it completes. After every kill: no file
 * but the download and its resume data, the resume data parses and claims only pieces that are on disk; on
 * every restart: no piece it had on disk is fetched again. At the end the copy is byte-identical. Prints how
 * many bytes the seeder sent beyond the file's size: the pieces that were in flight at the kills.
 */
@Tag("crash")
class GetKillIT {

    private static final int PIECE = 64 * 1024;
    private static final long SIZE = 256L * PIECE; // 16 MiB: about 4 s at the seeder's rate
    private static final long SEEDER_RATE = 4L << 20; // bytes per second
    private static final int KILLS_PER_DOWNLOAD = 6; // then a fresh download, so a long run stays mid-download
    private static final Duration STARTUP_WINDOW = Duration.ofMillis(2500); // JVM start, session, file check
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(5); // how often a kill condition is looked at

    @TempDir
    Path tmp;

    @RegisterExtension
    final LocalSessions sessions = new LocalSessions();

    @Test
    void aGetKilledAtRandomMomentsLosesNothingDurableAndCompletesByteIdentical() throws Exception {
        KillSchedule schedule = KillSchedule.fromSystemProperties(1);
        CrashTorrent movie = CrashTorrent.create(tmp, "movie.bin", SIZE, PIECE, 17);
        Metainfo m = movie.metainfo();
        Session seeder = sessions.start();
        seeder.setRateLimits(SEEDER_RATE, 0);
        Torrent seeding = seeder.add(m, movie.seedDir());
        String seederAddress = "127.0.0.1:" + seeder.localAddress().getPort();

        Tally tally = new Tally();
        int kills = 0;
        for (int round = 0; kills < schedule.kills(); round++) {
            Path out = tmp.resolve("out-" + round);
            BitSet claimed = new BitSet();
            BitSet valid = new BitSet();
            boolean complete = false;
            while (!complete) {
                boolean kill = kills < schedule.kills() && kills < (round + 1) * KILLS_PER_DOWNLOAD;
                long uploadedBefore = quietUploaded(seeding);
                List<String> args = List.of("get", movie.torrentFile().toString(), "-o", out.toString(), "--peer", seederAddress,
                        "--seed-time", "0", "--port", "0", "--dht-port", "0", "--bind", "127.0.0.1");
                try (CliProcess get = CliProcess.start("get", movie.home(), args)) {
                    if (kill && schedule.chance(0.2)) {
                        complete = get.exitsWithin(schedule.delayUpTo(STARTUP_WINDOW)); // while it starts or checks
                    } else if (kill) {
                        // mid-download: once the seeder has sent a random share of what is still missing
                        long missing = SIZE - DiskState.bytesOf(m, valid);
                        complete = awaitUploadedOrExit(seeding, uploadedBefore + schedule.below(missing), get);
                    } else {
                        complete = get.exitsWithin(WAIT);
                    }
                    int foundAtStart = piecesFoundAtStart(get);
                    long aliveMillis = get.ageMillis();
                    if (complete) {
                        assertEquals(0, get.exitValue(), String.join("\n", get.snapshot()));
                    } else {
                        assertTrue(kill, "get did not complete within " + WAIT.toSeconds() + " s:\n"
                                + String.join("\n", get.snapshot()));
                        get.kill9();
                        kills++;
                    }
                    long uploaded = quietUploaded(seeding) - uploadedBefore;
                    String when = "round " + round + ", kill " + kills + " (" + schedule + ")";
                    if (foundAtStart >= 0) {
                        // nothing the last run left on disk is lost: the resume data, or a re-hash, finds it all
                        assertTrue(foundAtStart >= claimed.cardinality(), when + ": found " + foundAtStart
                                + " pieces at the restart, the resume data had " + claimed.cardinality());
                        tally.notDurable += Math.max(0, valid.cardinality() - foundAtStart);
                        assertTrue(uploaded <= SIZE - (long) foundAtStart * PIECE, when + ": fetched " + uploaded
                                + " bytes though it had " + foundAtStart + " of " + m.pieceCount() + " pieces");
                    }
                    tally.uploaded += uploaded;
                    System.out.printf("crash harness: get %s after %d ms: found %d pieces at its start, fetched %d"
                            + " bytes%n", complete ? "completed" : "killed", aliveMillis, foundAtStart, uploaded);
                    claimed = movie.assertLeftCleanly(out, when);
                    valid = DiskState.validPieces(m, out);
                }
            }
            assertArrayEquals(Files.readAllBytes(movie.seedDir().resolve("movie.bin")), Files.readAllBytes(out.resolve("movie.bin")),
                    "round " + round + " (" + schedule + ")");
            movie.assertTidy(out, "round " + round + " complete (" + schedule + ")");
            tally.downloads++;
        }
        movie.assertTmpHoldsOnly("out-");
        long extra = tally.uploaded - tally.downloads * SIZE;
        System.out.printf("crash harness: get killed %d times over %d downloads (%s): the seeder sent %d bytes beyond"
                        + " the file size (%.1f pieces, lost in flight at the kills); verified pieces on disk not found"
                        + " again at a restart: %d%n", kills, tally.downloads, schedule, extra, (double) extra / PIECE,
                tally.notDurable);
        assertEquals(0, tally.notDurable, "pieces verified on disk were fetched again");
    }

    /**
     * What the restarted get said it found on disk ({@code resuming: NAME, K of N pieces ...}), 0 when its
     * progress started without such a line, -1 when it was killed before it said.
     */
    private static int piecesFoundAtStart(CliProcess get) {
        for (String line : get.snapshot()) {
            if (line.startsWith("resuming: ") || line.startsWith("already complete on disk: ")) {
                String counts = line.substring(line.indexOf(", ") + 2);
                return Integer.parseInt(counts.substring(0, counts.indexOf(' ')));
            }
            if (line.startsWith("progress: ") || line.startsWith("complete: ")) {
                return 0;
            }
        }
        return -1;
    }

    /** The seeder's upload counter once it has noticed the killed peer is gone (nothing more can be sent). */
    private static long quietUploaded(Torrent seeding) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (seeding.stats().peers() > 0) {
            assertTrue(System.nanoTime() < deadline, "the seeder still has a peer after " + WAIT.toSeconds() + " s");
            Thread.sleep(10); // how often we look; the connection closes within a round trip of the kill
        }
        return seeding.stats().uploadedBytes();
    }

    /**
     * Waits until the seeder has sent {@code target} bytes in all (false) or the get exited (true); fails
     * after {@link #WAIT}.
     */
    static boolean awaitUploadedOrExit(Torrent seeding, long target, CliProcess get) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (seeding.stats().uploadedBytes() < target) {
            if (get.exitsWithin(POLL)) {
                return true;
            }
            assertTrue(System.nanoTime() < deadline, "the seeder did not send " + target + " bytes in "
                    + WAIT.toSeconds() + " s:\n" + String.join("\n", get.snapshot()));
        }
        return false;
    }

    private static final class Tally {
        long uploaded;
        long downloads;
        int notDurable;
    }
}
