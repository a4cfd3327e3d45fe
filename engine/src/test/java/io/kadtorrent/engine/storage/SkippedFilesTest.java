package io.kadtorrent.engine.storage;

import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Skipped files are not created; their share of wanted pieces is kept aside and moves in when wanted again. */
class SkippedFilesTest {

    private static final int PIECE = 32 * 1024;

    @TempDir
    Path tmp;

    @Test
    void aSkippedFileIsNeverCreatedAndComesBackWhole() throws Exception {
        // a.bin (100,003 bytes) shares its last piece with sub/tiny.dat and sub/deeper/big.bin
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), PIECE, 3);
        List<FilePriority> skipA = priorities(m, 0);
        byte[] levels = FilePriority.pieceLevels(m.layout(), m.files(), skipA);
        int shared = m.layout().lastPieceOf(0);
        assertTrue(levels[shared] > 0 && levels[0] == 0, "the test needs a shared piece and a skipped one");
        Path copyDir = tmp.resolve("copy");
        Path resume = copyDir.resolve(".state/t.resume");
        try (FilePieceStore seed = FilePieceStore.open(m, tmp.resolve("seed"))) {
            try (FilePieceStore copy = FilePieceStore.open(m, copyDir, resume, skipA)) {
                for (int p = 0; p < m.pieceCount(); p++) {
                    if (levels[p] > 0) {
                        copyPiece(seed, copy, p);
                    }
                }
                assertFalse(Files.exists(copyDir.resolve("t/a.bin")), "a skipped file was created");
                assertArrayEquals(read(seed, shared), read(copy, shared), "the shared piece reads back whole");
                copy.saveResume(true);
            }
            BitSet wanted = new BitSet();
            for (int p = 0; p < m.pieceCount(); p++) {
                wanted.set(p, levels[p] > 0);
            }
            try (FilePieceStore again = FilePieceStore.open(m, copyDir, resume, skipA)) {
                assertEquals(wanted, again.verifiedPieces(), "resume data kept the pieces");
            }
            Files.delete(resume);
            try (FilePieceStore rehashed = FilePieceStore.open(m, copyDir, resume, skipA)) {
                assertEquals(wanted, rehashed.verifiedPieces(), "re-hashing finds the shared piece in the parts file");
                assertFalse(Files.exists(copyDir.resolve("t/a.bin")));

                rehashed.setFilePriorities(Collections.nCopies(m.files().size(), FilePriority.NORMAL));
                assertTrue(Files.exists(copyDir.resolve("t/a.bin")), "a file wanted again is created");
                for (int p = 0; p < m.pieceCount(); p++) {
                    if (levels[p] == 0) {
                        copyPiece(seed, rehashed, p);
                    }
                }
                assertTrue(rehashed.isComplete());
            }
            assertArrayEquals(Files.readAllBytes(tmp.resolve("seed/t/a.bin")), Files.readAllBytes(copyDir.resolve("t/a.bin")),
                    "the file wanted again holds the bytes first kept aside");
        }
    }

    @Test
    void aSkippedFileThatExistsIsUsedAsItIs() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), PIECE, 4);
        try (FilePieceStore seeded = FilePieceStore.open(m, tmp.resolve("seed"), tmp.resolve("r/seed.resume"),
                priorities(m, 0, 3))) {
            assertTrue(seeded.isComplete(), "data already on disk counts, skipped or not");
        }
        assertFalse(Files.exists(tmp.resolve("r/" + m.infoHash().hex() + ".parts")), "nothing was kept aside");
    }

    private static List<FilePriority> priorities(Metainfo m, int... skipped) {
        List<FilePriority> out = new ArrayList<>(Collections.nCopies(m.files().size(), FilePriority.NORMAL));
        Arrays.stream(skipped).forEach(i -> out.set(i, FilePriority.SKIP));
        return out;
    }

    private static void copyPiece(PieceStore from, PieceStore to, int piece) throws IOException {
        to.writeBlock(piece, 0, ByteBuffer.wrap(read(from, piece)));
        assertTrue(to.verifyPiece(piece), "piece " + piece);
    }

    private static byte[] read(PieceStore store, int piece) throws IOException {
        byte[] out = new byte[store.layout().pieceSize(piece)];
        store.readBlock(piece, 0, ByteBuffer.wrap(out));
        return out;
    }
}
