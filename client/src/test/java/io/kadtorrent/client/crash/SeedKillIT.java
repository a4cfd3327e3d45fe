package io.kadtorrent.client.crash;

import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code kadtorrent seed} (rate-limited) serving a downloader on 127.0.0.1 is killed with SIGKILL at seeded
 * random moments (also while it checks its data) and started again. After every kill: its data is untouched,
 * nothing but its resume data was written, that parses and claims only pieces on disk; every restart serves
 * every piece. The downloader, told the seeder's new port each time, completes byte-identical.
 */
@Tag("crash")
class SeedKillIT {

    private static final int PIECE = 64 * 1024;
    private static final long SIZE = 192L * PIECE; // 12 MiB: 3 s at the seeder's rate
    private static final String RATE = "4MiB";
    private static final Duration STARTUP_WINDOW = Duration.ofMillis(2500); // JVM start, session, data check
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @RegisterExtension
    final LocalSessions sessions = new LocalSessions();

    @Test
    void aSeedKilledAtRandomMomentsKeepsItsDataAndServesEveryPieceAgain() throws Exception {
        KillSchedule schedule = KillSchedule.fromSystemProperties(2);
        CrashTorrent album = CrashTorrent.create(tmp, "album.bin", SIZE, PIECE, 23);
        Metainfo m = album.metainfo();
        Path seedDir = album.seedDir();
        byte[] original = Files.readAllBytes(seedDir.resolve("album.bin"));
        Session downloader = sessions.start();

        int kills = 0;
        int round = 0;
        long downloaded = 0;
        Torrent download = downloader.add(m, tmp.resolve("down-" + round));
        while (true) {
            boolean kill = kills < schedule.kills();
            List<String> args = List.of("seed", album.torrentFile().toString(), "--data", seedDir.toString(),
                    "--upload-limit", RATE, "--port", "0", "--dht-port", "0", "--bind", "127.0.0.1");
            try (CliProcess seed = CliProcess.start("seed", album.home(), args)) {
                String when = "kill " + (kills + 1) + " (" + schedule + ")";
                if (kill && schedule.chance(0.25)) {
                    seed.exitsWithin(schedule.delayUpTo(STARTUP_WINDOW)); // while it starts or checks its data
                } else {
                    int port = Integer.parseInt(seed.awaitPrefixed("listening: tcp 127.0.0.1:", WAIT));
                    assertEquals("album.bin (" + m.pieceCount() + " of " + m.pieceCount() + " pieces)",
                            seed.awaitPrefixed("seeding: ", WAIT), when + ": the restarted seed lost pieces");
                    download.addPeers(List.of(new InetSocketAddress("127.0.0.1", port)), true);
                    if (!kill) {
                        download.completion().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    } else {
                        // mid-upload: once the downloader has a random share of what it still misses
                        long have = download.stats().downloadedBytes();
                        awaitDownloaded(download, have + schedule.below(SIZE - download.stats().verifiedBytes()), seed);
                    }
                }
                if (!kill) {
                    break;
                }
                seed.kill9();
                kills++;
                album.assertLeftCleanly(seedDir, when);
                assertArrayEquals(original, Files.readAllBytes(seedDir.resolve("album.bin")), when + ": data changed");
                if (download.completion().isDone()) {
                    // a long run: start a fresh download, so later kills fall in the middle of one again
                    assertArrayEquals(original, Files.readAllBytes(tmp.resolve("down-" + round).resolve("album.bin")));
                    downloaded += download.stats().downloadedBytes();
                    downloader.remove(m.infoHash()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    round++;
                    download = downloader.add(m, tmp.resolve("down-" + round));
                }
            }
        }
        assertArrayEquals(original, Files.readAllBytes(tmp.resolve("down-" + round).resolve("album.bin")),
                "the download (" + schedule + ")");
        downloaded += download.stats().downloadedBytes();
        System.out.printf("crash harness: seed killed %d times over %d downloads (%s): the downloader received %d"
                + " bytes beyond the file size%n", kills, round + 1, schedule, downloaded - (round + 1) * SIZE);
        album.assertTidy(seedDir, "the end: the last start tidied up");
        album.assertTmpHoldsOnly("down-");
    }

    /** Waits until the downloader has received {@code target} bytes in all, or is complete; fails if the seed exits. */
    private static void awaitDownloaded(Torrent download, long target, CliProcess seed) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (download.stats().downloadedBytes() < target && !download.completion().isDone()) {
            if (seed.exitsWithin(Duration.ofMillis(5))) { // how often we look
                throw new AssertionError("the seed exited:\n" + String.join("\n", seed.snapshot()));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the downloader did not get " + target + " bytes in " + WAIT.toSeconds() + " s");
            }
        }
    }
}
