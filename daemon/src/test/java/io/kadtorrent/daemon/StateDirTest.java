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

    /** Saved settings read back as text values only; a damaged file is ignored whole, never half read. */
    @Test
    void settingsReadBackTextValuesAndADamagedFileCountsAsNone() throws Exception {
        try (StateDir state = StateDir.open(dir, new ObjectMapper())) {
            state.saveSettings(Map.of("port", "0", "watch", "/tmp/w \u00e9", "bootstrap", "127.0.0.1:1,[::1]:2"));
        }
        assertEquals(Map.of("port", "0", "watch", "/tmp/w \u00e9", "bootstrap", "127.0.0.1:1,[::1]:2"),
                StateDir.readSettings(dir));
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "{\"port\": 7, \"nested\": {\"a\": [1, {\"b\": \"c\"}]}, \"bind\": \"::1\"}");
        assertEquals(Map.of("bind", "::1"), StateDir.readSettings(dir));
        for (String damaged : List.of("", "{", "{\"port\": \"1\"", "{\"port\":", "[\"port\"]", "{\"port\": \"1\",}",
                "not json", "{\"a\": [1, 2")) {
            Files.writeString(file, damaged);
            assertEquals(Map.of(), StateDir.readSettings(dir), damaged);
        }
        Files.write(file, new byte[(1 << 20) + 1]);
        assertEquals(Map.of(), StateDir.readSettings(dir));
        Files.delete(file);
        assertEquals(Map.of(), StateDir.readSettings(dir));
    }

    /**
     * A daemon killed in the middle of a removal could leave a torrent's resume data or .torrent with no entry
     * naming them (docs/crash-consistency.md); the next start deletes exactly those.
     */
    @Test
    void filesOfTorrentsWithoutAnEntryAreDeletedAndAnUnreadableEntryKeepsItsOwn() throws Exception {
        String gone = "ab".repeat(20);
        String kept = "cd".repeat(20);
        String unreadable = "ef".repeat(20);
        try (StateDir state = StateDir.open(dir, new ObjectMapper())) {
            Files.createDirectories(state.resumeDir());
            for (String h : List.of(gone, kept, unreadable)) {
                Files.write(dir.resolve("torrents").resolve(h + ".torrent"), new byte[] {1});
                Files.write(state.resumeDir().resolve(h + ".resume"), new byte[] {1});
            }
            Files.write(state.resumeDir().resolve(gone + ".parts"), new byte[] {1});
            Files.writeString(dir.resolve("torrents").resolve(kept + ".json"), "{}");
            Files.writeString(dir.resolve("torrents").resolve(unreadable + ".json"), "{not json");
            Files.write(state.resumeDir().resolve("notes.resume"), new byte[] {1}); // not one of ours

            assertEquals(3, state.torrents().deleteOrphans());
        }
        assertEquals(List.of(kept + ".json", kept + ".torrent", unreadable + ".json", unreadable + ".torrent"),
                names(dir.resolve("torrents")));
        assertEquals(List.of(kept + ".resume", unreadable + ".resume", "notes.resume"), names(dir.resolve("resume")));
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
