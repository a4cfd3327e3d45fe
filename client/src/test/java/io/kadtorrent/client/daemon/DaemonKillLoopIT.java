package io.kadtorrent.client.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kadtorrent.client.crash.DiskState;
import io.kadtorrent.client.crash.KillSchedule;
import io.kadtorrent.daemon.StateDir;
import io.kadtorrent.dht.node.RoutingTableFile;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon downloading several torrents from a rate-limited seeder on 127.0.0.1 is killed with SIGKILL at
 * seeded random moments (also between two adds) and restarted with only {@code --state}. After every kill:
 * no file but the state folder's and the downloads; every torrent entry and resume file parses, and resume
 * data claims only pieces on disk. After every restart: every add the API acknowledged is back, nothing on
 * disk is lost, and no piece it had is fetched again. At the end every download is byte-identical and a clean
 * stop leaves a DHT state file that parses.
 */
@Tag("crash")
class DaemonKillLoopIT {

    private static final int PIECE = 64 * 1024;
    private static final long SIZE = 96L * PIECE; // 6 MiB each
    private static final int TORRENTS = 3;
    private static final long SEEDER_RATE = 6L << 20; // bytes per second, for all three
    private static final Duration MAX_KILL_DELAY = Duration.ofMillis(2000);
    private static final int WAIT_SECONDS = 120;
    private static final Set<String> STATE_FILES = Set.of("token", "lock", "daemon.json", "settings.json",
            "limits.json", "policy.json", "dht.state", "summaries.json");

    @TempDir
    Path tmp;

    @RegisterExtension
    final LocalSessions sessions = new LocalSessions();

    @Test
    void aDaemonKilledAtRandomMomentsKeepsEveryAddAndEveryPieceAndCompletes() throws Exception {
        KillSchedule schedule = KillSchedule.fromSystemProperties(4);
        Path full = tmp.resolve("full");
        List<Metainfo> torrents = new ArrayList<>();
        for (int i = 0; i < TORRENTS; i++) {
            torrents.add(TestTorrents.singleFile(full, "file" + i + ".bin", SIZE - i * 1000L, PIECE, 60 + i));
        }
        Session seeder = sessions.start();
        seeder.setRateLimits(SEEDER_RATE, 0);
        Map<String, Torrent> seeding = new HashMap<>();
        for (Metainfo m : torrents) {
            seeding.put(m.infoHash().hex(), seeder.add(m, full));
        }
        Path state = tmp.resolve("state");
        Path downloads = tmp.resolve("downloads");
        List<Metainfo> added = new ArrayList<>();
        Map<String, BitSet> claimed = new HashMap<>();
        Map<String, BitSet> valid = new HashMap<>();
        Map<String, Long> verifiedAtKill = new HashMap<>();
        Set<String> maybeRemoved = new HashSet<>(); // removals asked for but cut off by a kill
        int rounds = 1;
        long uploaded = 0;
        long notDurable = 0;
        for (int kill = 0; kill <= schedule.kills(); kill++) {
            String when = "restart " + kill + " (" + schedule + ")";
            seeding.values().forEach(Torrent::pause); // so what the restart finds on disk can be read first
            long uploadedBefore = quietUploaded(seeding.values());
            try (DaemonProcess daemon = kill == 0 ? DaemonProcess.startWithDht(state, downloads)
                    : DaemonProcess.restart(state)) {
                Map<String, Long> found = new HashMap<>();
                if (!added.isEmpty() || !maybeRemoved.isEmpty()) {
                    Set<String> listed = listedAfterRestart(daemon, added, maybeRemoved, when);
                    for (Metainfo m : torrents) { // a removal cut off by the kill: either outcome is fine
                        String h = m.infoHash().hex();
                        if (maybeRemoved.contains(h) && listed.contains(h)) {
                            added.add(m);
                        } else if (maybeRemoved.contains(h)) { // removed after all: with everything it had
                            forget(h, claimed, valid, verifiedAtKill);
                            List<String> left = new ArrayList<>(DiskState.files(state).stream()
                                    .filter(f -> f.contains(h)).toList());
                            if (Files.exists(downloads.resolve(m.name()))) {
                                left.add(m.name());
                            }
                            assertEquals(List.of(), left, when + ": a torrent gone from the list left files");
                        }
                    }
                    maybeRemoved.clear();
                    for (Metainfo m : added) {
                        String h = m.infoHash().hex();
                        long verified = daemon.call("GET", "/api/v1/torrents/" + h, null).get("torrent")
                                .get("verified_bytes").asLong();
                        assertTrue(verified >= DiskState.bytesOf(m, claimed.getOrDefault(h, new BitSet())), when + ": " + m.name()
                                + " lost pieces its resume data had");
                        notDurable += Math.max(0, DiskState.bytesOf(m, valid.getOrDefault(h, new BitSet())) - verified);
                        found.put(h, verified);
                    }
                }
                boolean allDone = added.size() == TORRENTS
                        && added.stream().allMatch(m -> found.get(m.infoHash().hex()) == m.totalBytes());
                if (allDone && kill < schedule.kills()) {
                    // a long run: remove them with their data and download them again, so kills keep falling
                    // mid-download; sometimes the kill falls in the middle of the removals
                    rounds++;
                    if (removeAll(daemon, added, maybeRemoved, schedule, claimed, valid, verifiedAtKill)) {
                        checkAfterKill(state, downloads, torrents, added, maybeRemoved, true, claimed, valid,
                                verifiedAtKill, "kill during removals " + (kill + 1) + " (" + schedule + ")");
                        continue;
                    }
                }
                seeding.values().forEach(Torrent::resume);
                for (Metainfo m : added) {
                    seeding.get(m.infoHash().hex()).addPeers(List.of(new InetSocketAddress("127.0.0.1", daemon.peerPort)), true);
                }
                // the first run adds one or more torrents before it may be killed, the next adds the rest
                int adds = added.isEmpty() ? schedule.between(1, TORRENTS) : TORRENTS - added.size();
                for (int i = 0; i < adds; i++) {
                    Metainfo m = torrents.stream().filter(t -> !added.contains(t)).findFirst().orElseThrow();
                    daemon.add(Map.of("torrent", Base64.getEncoder().encodeToString(m.toBytes()),
                            "peers", List.of("127.0.0.1:" + seeder.localAddress().getPort())));
                    added.add(m); // acknowledged: it must survive any kill from now on
                    found.put(m.infoHash().hex(), 0L);
                }
                if (kill == schedule.kills()) {
                    daemon.awaitAll(t -> t.get("state").asText().equals("seeding"), WAIT_SECONDS);
                    int exit = daemon.stop();
                    assertTrue(exit == 0 || exit == 143, "exit " + exit);
                } else {
                    if (schedule.chance(0.25)) {
                        Thread.sleep(schedule.delayUpTo(MAX_KILL_DELAY).toMillis()); // the kill's random moment: soon
                    } else {
                        // mid-download: once the seeder has sent a random share of what is still missing
                        awaitUploaded(seeding.values(), uploadedBefore + schedule.below(missing(added, found)));
                    }
                    for (JsonNode t : daemon.list()) { // what it had verified up to a second before the kill
                        verifiedAtKill.put(t.get("info_hash").asText(), t.get("verified_bytes").asLong());
                    }
                    daemon.kill9();
                }
                long segment = quietUploaded(seeding.values()) - uploadedBefore;
                uploaded += segment;
                long missing = missing(added, found);
                System.out.printf("crash harness: daemon %s: had %d bytes at its start, fetched %d of the %d missing%n",
                        kill == schedule.kills() ? "stopped" : "killed", found.values().stream().mapToLong(v -> v).sum(),
                        segment, missing);
                assertTrue(segment <= missing, when + ": fetched " + segment + " bytes but only " + missing
                        + " were missing");
            }
            checkAfterKill(state, downloads, torrents, added, maybeRemoved, kill < schedule.kills(), claimed, valid,
                    verifiedAtKill, when);
        }
        for (Metainfo m : torrents) {
            assertArrayEquals(Files.readAllBytes(full.resolve(m.name())), Files.readAllBytes(downloads.resolve(m.name())),
                    m.name() + " (" + schedule + ")");
            assertEquals(m.pieceCount(), claimed.get(m.infoHash().hex()).cardinality(), "the last save names every piece");
        }
        RoutingTableFile.read(state.resolve("dht.state")); // a clean stop saved it, and it parses
        assertTrue(Files.notExists(state.resolve("daemon.json")), "a stopped daemon leaves no endpoint file");
        long total = torrents.stream().mapToLong(Metainfo::totalBytes).sum();
        System.out.printf("crash harness: daemon killed %d times with %d torrents, %d download rounds (%s): the seeder"
                        + " sent %d bytes beyond their size (%.1f pieces, lost in flight at the kills); bytes on disk not"
                        + " found again at a restart: %d%n", schedule.kills(), TORRENTS, rounds, schedule,
                uploaded - rounds * total, (double) (uploaded - rounds * total) / PIECE, notDurable);
        assertEquals(0, notDurable, "verified pieces on disk were fetched again");
    }

    /**
     * After a kill: only the state folder's and the downloads' own files; entries and resume data parse and
     * hold nothing the disk does not; every piece verified before the kill is on disk.
     */
    private static void checkAfterKill(Path state, Path downloads, List<Metainfo> torrents, List<Metainfo> added,
                                       Set<String> maybeRemoved, boolean killed, Map<String, BitSet> claimed,
                                       Map<String, BitSet> valid, Map<String, Long> verifiedAtKill, String when)
            throws Exception {
        checkStateFolder(state, added, maybeRemoved, killed, when);
        DiskState.assertOnly(downloads, f -> torrents.stream().anyMatch(m -> m.name().equals(f)
                && (added.contains(m) || maybeRemoved.contains(m.infoHash().hex()))), when);
        for (Metainfo m : added) {
            String h = m.infoHash().hex();
            claimed.put(h, DiskState.claimedPieces(state.resolve("resume").resolve(h + ".resume"), m, downloads, when));
            valid.put(h, DiskState.validPieces(m, downloads));
            // a verified piece was written before it counted as verified: the page cache outlives the process
            assertTrue(DiskState.bytesOf(m, valid.get(h)) >= verifiedAtKill.getOrDefault(h, 0L), when + ": "
                    + m.name() + " had " + verifiedAtKill.get(h) + " bytes verified before the kill, "
                    + DiskState.bytesOf(m, valid.get(h)) + " on disk after it");
        }
    }

    /**
     * Removes every torrent with its data; with some chance kills the daemon in the middle (true then): the
     * removals it acknowledged are final, the others go to {@code maybeRemoved}.
     */
    private static boolean removeAll(DaemonProcess daemon, List<Metainfo> added, Set<String> maybeRemoved,
                                     KillSchedule schedule, Map<String, BitSet> claimed, Map<String, BitSet> valid,
                                     Map<String, Long> verifiedAtKill) throws Exception {
        List<Metainfo> removing = List.copyOf(added);
        Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Runnable removeAll = () -> {
            for (Metainfo m : removing) {
                try {
                    daemon.call("DELETE", "/api/v1/torrents/" + m.infoHash().hex() + "?delete_data=true", null);
                    acknowledged.add(m.infoHash().hex());
                } catch (Exception | AssertionError cutOff) {
                    return; // the daemon is gone
                }
            }
        };
        boolean kill = schedule.chance(0.3);
        if (kill) {
            Thread remover = new Thread(removeAll, "daemon-remover");
            remover.start();
            Thread.sleep(schedule.delayUpTo(Duration.ofMillis(300)).toMillis()); // the kill's random moment
            daemon.kill9();
            remover.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        } else {
            removeAll.run();
            assertEquals(removing.size(), acknowledged.size(), "every removal answered");
        }
        added.clear();
        for (Metainfo m : removing) {
            String h = m.infoHash().hex();
            if (!acknowledged.contains(h)) {
                maybeRemoved.add(h);
            }
            forget(h, claimed, valid, verifiedAtKill);
        }
        return kill;
    }

    private static void forget(String h, Map<String, BitSet> claimed, Map<String, BitSet> valid,
                               Map<String, Long> verifiedAtKill) {
        claimed.remove(h);
        valid.remove(h);
        verifiedAtKill.remove(h);
    }

    /**
     * The torrents the restarted daemon lists once none is checking: every acknowledged add, no acknowledged
     * removal, and of the removals a kill cut off, any.
     */
    private static Set<String> listedAfterRestart(DaemonProcess daemon, List<Metainfo> added, Set<String> maybeRemoved,
                                                  String when) throws Exception {
        JsonNode list = daemon.list();
        if (list.size() > 0) {
            list = daemon.awaitAll(t -> !t.get("state").asText().equals("checking"), WAIT_SECONDS);
        }
        Set<String> listed = new HashSet<>();
        list.forEach(t -> listed.add(t.get("info_hash").asText()));
        for (Metainfo m : added) {
            assertTrue(listed.contains(m.infoHash().hex()), when + ": acknowledged add lost: " + m.name());
        }
        for (String h : listed) {
            assertTrue(maybeRemoved.contains(h) || added.stream().anyMatch(m -> m.infoHash().hex().equals(h)),
                    when + ": an acknowledged removal came back: " + h);
        }
        return listed;
    }

    /** Only the state folder's own files; every torrent entry reads back whole and names an acknowledged add. */
    private static void checkStateFolder(Path state, List<Metainfo> added, Set<String> maybeRemoved, boolean killed,
                                         String when) throws Exception {
        Set<String> hashes = new HashSet<>();
        added.forEach(m -> hashes.add(m.infoHash().hex()));
        Set<String> possible = new HashSet<>(hashes);
        possible.addAll(maybeRemoved);
        DiskState.assertOnly(state, f -> STATE_FILES.contains(f) || perTorrent(f, "resume/", ".resume", possible)
                || perTorrent(f, "torrents/", ".json", possible) || perTorrent(f, "torrents/", ".torrent", possible)
                || killed && DiskState.isCutOffSave(f), when);
        try (StateDir dir = StateDir.open(state, new ObjectMapper())) {
            List<String> entries = dir.entries().stream().map(e -> e.infoHash()).sorted().toList();
            assertTrue(entries.containsAll(hashes) && possible.containsAll(entries), when + ": torrent entries " + entries);
        }
        if (Files.exists(state.resolve("dht.state"))) {
            RoutingTableFile.read(state.resolve("dht.state"));
        }
    }

    private static boolean perTorrent(String file, String folder, String suffix, Set<String> hashes) {
        return file.startsWith(folder) && file.endsWith(suffix)
                && hashes.contains(file.substring(folder.length(), file.length() - suffix.length()));
    }

    private static long missing(List<Metainfo> added, Map<String, Long> found) {
        long missing = 0;
        for (Metainfo m : added) {
            missing += m.totalBytes() - found.get(m.infoHash().hex());
        }
        return missing;
    }

    private static long uploaded(Iterable<Torrent> seeding) {
        long up = 0;
        for (Torrent t : seeding) {
            up += t.stats().uploadedBytes();
        }
        return up;
    }

    /** Waits until the seeder has sent {@code target} bytes in all; fails after {@link #WAIT_SECONDS}. */
    private static void awaitUploaded(Iterable<Torrent> seeding, long target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (uploaded(seeding) < target) {
            assertTrue(System.nanoTime() < deadline, "the seeder did not send " + target + " bytes in "
                    + WAIT_SECONDS + " s");
            Thread.sleep(5); // how often we look
        }
    }

    /** The seeder's upload counters once every connection to the killed daemon is gone. */
    private static long quietUploaded(Iterable<Torrent> seeding) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            long up = 0;
            int peers = 0;
            for (Torrent t : seeding) {
                up += t.stats().uploadedBytes();
                peers += t.stats().peers();
            }
            if (peers == 0) {
                return up;
            }
            assertTrue(System.nanoTime() < deadline, "the seeder still has peers after " + WAIT_SECONDS + " s");
            Thread.sleep(10); // how often we look; connections close within a round trip of the kill
        }
    }
}
