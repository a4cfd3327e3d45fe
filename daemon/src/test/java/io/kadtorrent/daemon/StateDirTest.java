package io.kadtorrent.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StateDirTest {

    @TempDir
    Path dir;

    /**
     * A daemon killed (kill -9) between a save's temp file and its rename leaves the temp file; before, they
     * piled up, one per unlucky kill (docs/crash-consistency.md).
     */
    @Test
    void theTempFilesOfSavesCutOffByAKillAreGoneOnceTheFolderIsOpenedAgain() throws Exception {
        try (StateDir state = StateDir.open(dir, new ObjectMapper())) {
            state.saveSettings(Map.of("port", "0"));
            Files.createDirectories(state.resumeDir());
        }
        Files.createTempFile(dir, ".settings.json", ".tmp");
        Files.createTempFile(dir.resolve("torrents"), "." + "ab".repeat(20) + ".json", ".tmp");
        Files.createTempFile(dir.resolve("resume"), "." + "ab".repeat(20) + ".resume", ".tmp");

        try (StateDir again = StateDir.open(dir, new ObjectMapper())) {
            assertEquals(List.of("lock", "resume", "settings.json", "torrents"), names(dir));
            assertEquals(List.of(), names(dir.resolve("torrents")));
            assertEquals(List.of(), names(dir.resolve("resume")));
            assertEquals(Map.of("port", "0"), StateDir.readSettings(dir));
        }
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
