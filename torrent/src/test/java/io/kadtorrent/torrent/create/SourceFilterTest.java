package io.kadtorrent.torrent.create;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceFilterTest {

    @Test
    void hiddenEntriesAnywhereInThePathAreLeftOutUnlessIncluded() {
        SourceFilter visible = new SourceFilter(false, List.of());
        assertFalse(visible.accepts(List.of(".git", "config")));
        assertFalse(visible.accepts(List.of("sub", ".DS_Store")));
        assertTrue(visible.accepts(List.of("sub", "a.bin")));
        assertTrue(new SourceFilter(true, List.of()).accepts(List.of(".git", "config")));
        assertTrue(SourceFilter.everything().keepsEverything());
    }

    @Test
    void aGlobWithoutSlashMatchesAnyNameAndOneWithSlashTheRelativePath() {
        SourceFilter f = new SourceFilter(true, List.of("*.tmp", "build", "docs/drafts/**"));
        assertFalse(f.accepts(List.of("x", "y.tmp")));
        assertFalse(f.accepts(List.of("build", "out.jar")));
        assertFalse(f.accepts(List.of("docs", "drafts", "a", "b.txt")));
        assertTrue(f.accepts(List.of("docs", "final.txt")));
        assertTrue(f.accepts(List.of("other", "drafts", "b.txt")));
    }

    @Test
    void aBadGlobIsRefusedWithItsText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SourceFilter(false, List.of("a[")));
        assertTrue(e.getMessage().startsWith("not a glob: a["), e.getMessage());
    }
}
