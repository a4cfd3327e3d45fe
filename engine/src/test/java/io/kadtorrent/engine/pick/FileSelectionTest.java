package io.kadtorrent.engine.pick;

import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.kadtorrent.engine.pick.FilePriority.NORMAL;
import static io.kadtorrent.engine.pick.FilePriority.SKIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileSelectionTest {

    @TempDir
    Path tmp;

    /** a.bin, empty.txt, sub/deeper/big.bin, sub/tiny.dat, z-exactly-one-block (the torrent's order). */
    private Metainfo torrent() throws Exception {
        return TestTorrents.multiFile(tmp, "t", TestTorrents.awkwardFiles(), 32 * 1024, 5);
    }

    private static List<String> paths(Metainfo m) {
        return m.files().stream().map(f -> f.displayPath()).toList();
    }

    @Test
    void globsWithoutASlashMatchNamesInAnyFolderAndWithOneWholePaths() throws Exception {
        Metainfo m = torrent();
        List<String> paths = paths(m);
        List<FilePriority> bins = new FileSelection(List.of("*.bin"), List.of(), List.of()).priorities(m);
        for (int i = 0; i < paths.size(); i++) {
            assertEquals(paths.get(i).endsWith(".bin") ? NORMAL : SKIP, bins.get(i), paths.get(i));
        }
        List<FilePriority> notSub = new FileSelection(List.of(), List.of("sub/**"), List.of()).priorities(m);
        for (int i = 0; i < paths.size(); i++) {
            assertEquals(paths.get(i).startsWith("sub/") ? SKIP : NORMAL, notSub.get(i), paths.get(i));
        }
        assertTrue(FileSelection.ALL.isAll());
        assertEquals(paths.size(), FileSelection.ALL.priorities(m).size());
    }

    @Test
    void magnetIndicesChooseFilesAndAChoiceOfNothingSaysSo() throws Exception {
        Metainfo m = torrent();
        List<FilePriority> first = new FileSelection(List.of(), List.of(), List.of(0, 4)).priorities(m);
        assertEquals(List.of(NORMAL, SKIP, SKIP, SKIP, NORMAL), first);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new FileSelection(List.of("*.mkv"), List.of(), List.of()).priorities(m));
        assertTrue(none.getMessage().startsWith("no file of t is selected (--only *.mkv)"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FileSelection(List.of("[a-"), List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new FileSelection(List.of(" "), List.of(), List.of()));
    }
}
