package io.kadtorrent.client.crash;

import io.kadtorrent.engine.storage.FilePieceStore;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Set;

/**
 * The one-file torrent a peer crash test kills a CLI over, laid out in its temp folder: the data in
 * {@code seed/NAME}, {@code NAME-without-extension.torrent}, and an empty {@code home/} the CLI runs in. Its checks
 * are what may be on disk after a kill: a folder holding a copy keeps the file and its resume data, nothing else.
 *
 * @param tmp         the test's temp folder
 * @param fileName    the torrent's one file, in {@code seedDir} and in every copy
 * @param metainfo    the torrent
 * @param torrentFile its .torrent, as the CLI is given it
 * @param home        the CLI's home (user.home); it must stay empty
 */
record CrashTorrent(Path tmp, String fileName, Metainfo metainfo, Path torrentFile, Path home) {

    /** Writes {@code sizeBytes} random bytes (from {@code seed}) as {@code seed/fileName} and its .torrent. */
    static CrashTorrent create(Path tmp, String fileName, long sizeBytes, int pieceBytes, long seed) throws IOException {
        Metainfo m = TestTorrents.singleFile(tmp.resolve("seed"), fileName, sizeBytes, pieceBytes, seed);
        Path torrentFile = Files.write(tmp.resolve(torrentFileName(fileName)), m.toBytes());
        return new CrashTorrent(tmp, fileName, m, torrentFile, Files.createDirectories(tmp.resolve("home")));
    }

    private static String torrentFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return (dot > 0 ? fileName.substring(0, dot) : fileName) + ".torrent";
    }

    /** The folder of the original data. */
    Path seedDir() {
        return tmp.resolve("seed");
    }

    /** The resume data of a copy under {@code dataDir}, where the CLI keeps it. */
    Path resumeFile(Path dataDir) {
        return FilePieceStore.defaultResumeFile(metainfo, dataDir);
    }

    /**
     * After a run, killed or not: {@code dataDir} holds the file, its resume data and at most a save a kill cut
     * off; the home is empty; the resume data parses and claims only pieces on disk.
     *
     * @return the pieces the resume data claims
     */
    BitSet assertLeftCleanly(Path dataDir, String when) throws IOException {
        Set<String> kept = keptFiles(dataDir);
        DiskState.assertOnly(dataDir, f -> kept.contains(f) || DiskState.isCutOffSave(f), when);
        DiskState.assertOnly(home, f -> false, when);
        return DiskState.claimedPieces(resumeFile(dataDir), metainfo, dataDir, when);
    }

    /** After a start that ran to its end: {@code dataDir} holds the file and its resume data, nothing else. */
    void assertTidy(Path dataDir, String when) throws IOException {
        DiskState.assertOnly(dataDir, keptFiles(dataDir)::contains, when);
    }

    /** At the end: the temp folder holds the data, its .torrent and the copies in folders named {@code copies*}. */
    void assertTmpHoldsOnly(String copies) throws IOException {
        String torrentName = torrentFile.getFileName().toString();
        DiskState.assertOnly(tmp, f -> f.startsWith("seed/") || f.startsWith(copies) || f.equals(torrentName),
                "the end");
    }

    private Set<String> keptFiles(Path dataDir) {
        return Set.of(fileName, ".kadtorrent/" + resumeFile(dataDir).getFileName());
    }
}
