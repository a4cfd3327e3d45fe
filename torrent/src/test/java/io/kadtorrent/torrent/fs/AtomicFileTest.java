package io.kadtorrent.torrent.fs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AtomicFileTest {

    @TempDir
    Path dir;

    @Test
    void aWriteLeavesOnlyItsTarget() throws Exception {
        Path target = dir.resolve("a.resume");
        AtomicFile.write(target, new byte[] {1});
        AtomicFile.write(target, new byte[] {2}, false);
        assertEquals(List.of("a.resume"), names());
        assertEquals(2, Files.readAllBytes(target)[0]);
    }

    /** A kill -9 between creating the temp file and the rename leaves {@code .NAME<digits>.tmp} behind. */
    @Test
    void deletesTheTempFilesOfWritesCutOffByACrashAndNothingElse() throws Exception {
        Path target = Files.write(dir.resolve("a.resume"), new byte[] {1});
        Files.createTempFile(dir, ".a.resume", ".tmp"); // exactly what a cut-off write leaves
        Files.createTempFile(dir, ".a.resume", ".tmp");
        Files.createTempFile(dir, ".b.resume", ".tmp"); // another file's: not ours to delete
        Files.write(dir.resolve(".a.resume.tmp"), new byte[0]); // no digits: not a name AtomicFile makes
        Files.write(dir.resolve("a.resume7.tmp"), new byte[0]); // no dot: a user's file

        assertEquals(2, AtomicFile.deleteLeftovers(target));

        List<String> left = names();
        assertEquals(4, left.size(), left.toString());
        assertEquals(1, left.stream().filter(n -> n.startsWith(".b.resume")).count(), left.toString());
        assertEquals(1, Files.readAllBytes(target)[0]);
    }

    @Test
    void inAFolderOneProcessOwnsDeletesEveryTempFileAWriteLeft() throws Exception {
        Files.createTempFile(dir, ".settings.json", ".tmp");
        Files.createTempFile(dir, ".dht.state", ".tmp");
        Files.write(dir.resolve("token"), new byte[] {1});
        Files.write(dir.resolve("notes.tmp"), new byte[0]);

        assertEquals(2, AtomicFile.deleteLeftoversIn(dir));
        assertEquals(List.of("notes.tmp", "token"), names());
        assertEquals(0, AtomicFile.deleteLeftoversIn(dir.resolve("missing")));
    }

    private List<String> names() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
