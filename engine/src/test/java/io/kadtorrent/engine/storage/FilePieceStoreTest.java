package io.kadtorrent.engine.storage;

import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.layout.PieceLayout;
import io.kadtorrent.torrent.metainfo.InvalidMetainfoException;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilePieceStoreTest {

    private static final int PIECE = 32 * 1024;

    @TempDir
    Path tmp;

    /**
     * A get killed (kill -9) between a resume save's temp file and its rename leaves the temp file beside the
     * resume data (docs/crash-consistency.md); the next open deletes it.
     */
    @Test
    void theTempFileOfAResumeSaveCutOffByAKillIsGoneAfterTheNextOpen() throws Exception {
        Metainfo m = TestTorrents.singleFile(tmp.resolve("seed"), "f", 3 * PIECE, PIECE, 2);
        try (FilePieceStore store = FilePieceStore.open(m, tmp.resolve("seed"))) {
            store.saveResume(false);
        }
        Path resume = FilePieceStore.defaultResumeFile(m, tmp.resolve("seed"));
        Path cutOff = Files.createTempFile(resume.getParent(), "." + resume.getFileName(), ".tmp");
        try (FilePieceStore store = FilePieceStore.open(m, tmp.resolve("seed"))) {
            assertTrue(store.isComplete());
            assertFalse(Files.exists(cutOff));
            try (var files = Files.list(resume.getParent())) {
                assertEquals(List.of(resume.getFileName().toString()),
                        files.map(p -> p.getFileName().toString()).toList());
            }
        }
    }

    @Test
    void seederDataIsVerifiedOnOpenAndServedByteExact() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), PIECE, 1);
        try (FilePieceStore store = FilePieceStore.open(m, tmp.resolve("seed"))) {
            assertTrue(store.isComplete());
            int last = m.pieceCount() - 1;
            int size = m.layout().pieceSize(last);
            byte[] got = read(store, last, 0, size);
            byte[] expected = Arrays.copyOfRange(Files.readAllBytes(
                    tmp.resolve("seed/t/z-exactly-one-block")), 16384 - size, 16384);
            assertArrayEquals(expected, got);
        }
    }

    @Test
    void blocksWrittenAcrossFilesVerifyAndCreateEmptyFiles() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), PIECE, 2);
        try (FilePieceStore seed = FilePieceStore.open(m, tmp.resolve("seed"));
             FilePieceStore copy = FilePieceStore.open(m, tmp.resolve("copy"))) {
            assertEquals(0, copy.verifiedCount());
            assertTrue(Files.isRegularFile(tmp.resolve("copy/t/empty.txt")));
            PieceLayout layout = m.layout();
            for (int p = 0; p < layout.pieceCount(); p++) {
                for (int begin = 0; begin < layout.pieceSize(p); begin += 16384) {
                    int len = Math.min(16384, layout.pieceSize(p) - begin);
                    writeDirect(copy, p, begin, read(seed, p, begin, len));
                }
                assertTrue(copy.verifyPiece(p), "piece " + p);
            }
            assertTrue(copy.isComplete());
        }
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("copy/t")));
    }

    @Test
    void blocksInTwoPartsAcrossFilesVerify() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), PIECE, 7);
        try (FilePieceStore seed = FilePieceStore.open(m, tmp.resolve("seed"));
             FilePieceStore copy = FilePieceStore.open(m, tmp.resolve("copy"))) {
            PieceLayout layout = m.layout();
            for (int p = 0; p < layout.pieceCount(); p++) {
                for (int begin = 0; begin < layout.pieceSize(p); begin += 16384) {
                    byte[] block = read(seed, p, begin, Math.min(16384, layout.pieceSize(p) - begin));
                    // a direct buffer at an offset, as the block allocator hands them out
                    ByteBuffer direct = ByteBuffer.allocateDirect(block.length + 7).position(7);
                    direct.put(block).position(7);
                    copy.writeBlock(p, begin, direct.slice());
                }
                assertTrue(copy.verifyPiece(p), "piece " + p);
            }
        }
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("copy/t")));
    }

    @Test
    void corruptBlockFailsVerification() throws Exception {
        Metainfo m = TestTorrents.singleFile(tmp.resolve("seed"), "one.bin", 50_000, PIECE, 3);
        try (FilePieceStore copy = FilePieceStore.open(m, tmp.resolve("copy"))) {
            copy.writeBlock(0, 0, ByteBuffer.wrap(new byte[16384]));
            copy.writeBlock(0, 16384, ByteBuffer.wrap(new byte[16384]));
            assertFalse(copy.verifyPiece(0));
            assertFalse(copy.hasPiece(0));
        }
    }

    @Test
    void piecesWrittenOutOfOrderVerify() throws Exception {
        Metainfo m = TestTorrents.singleFile(tmp.resolve("seed"), "one.bin", 150_000, 4 * 16384, 5);
        try (FilePieceStore seed = FilePieceStore.open(m, tmp.resolve("seed"));
             FilePieceStore copy = FilePieceStore.open(m, tmp.resolve("copy"))) {
            for (int block : new int[]{2, 0, 3, 1}) { // a gap, then a block that fills it with two waiting
                writeDirect(copy, 0, block * 16384, read(seed, 0, block * 16384, 16384));
            }
            assertTrue(copy.verifyPiece(0));
            int last = m.layout().pieceCount() - 1;
            int size = m.layout().pieceSize(last);
            writeDirect(copy, last, 16384, read(seed, last, 16384, size - 16384)); // never caught up
            writeDirect(copy, last, 0, read(seed, last, 0, 16384));
            assertTrue(copy.verifyPiece(last));
        }
    }

    @Test
    void rewritingHashedBytesIsCaughtByHashingThePieceAgain() throws Exception {
        Metainfo m = TestTorrents.singleFile(tmp.resolve("seed"), "one.bin", 50_000, PIECE, 6);
        try (FilePieceStore seed = FilePieceStore.open(m, tmp.resolve("seed"));
             FilePieceStore copy = FilePieceStore.open(m, tmp.resolve("copy"))) {
            byte[] first = read(seed, 0, 0, 16384);
            writeDirect(copy, 0, 0, first);
            writeDirect(copy, 0, 16384, read(seed, 0, 16384, 16384));
            writeDirect(copy, 0, 0, new byte[16384]); // a second, bad copy lands after the good one was hashed
            assertFalse(copy.verifyPiece(0), "the disk holds the bad copy now");
            writeDirect(copy, 0, 0, first);
            assertTrue(copy.verifyPiece(0), "a fresh stream after the failed check");
        }
    }

    @Test
    void resumeFastPathTrustsStampsAndSlowPathRehashes() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("d"), "t", TestTorrents.awkwardFiles(), PIECE, 4);
        Path file = tmp.resolve("d/t/sub/deeper/big.bin");
        try (FilePieceStore store = FilePieceStore.open(m, tmp.resolve("d"))) {
            store.saveResume(true);
            assertTrue(Files.isRegularFile(store.resumeFile()));
        }
        // Damage a byte without changing size or mtime: the fast path trusts the resume data.
        long mtime = Files.getLastModifiedTime(file).toMillis();
        byte[] data = Files.readAllBytes(file);
        data[0] ^= 1;
        Files.write(file, data);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(mtime));
        try (FilePieceStore store = FilePieceStore.open(m, tmp.resolve("d"))) {
            assertTrue(store.isComplete(), "fast path: stamps match");
        }
        // A changed mtime forces the slow path, which finds the damaged piece.
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(mtime + 5000));
        try (FilePieceStore store = FilePieceStore.open(m, tmp.resolve("d"))) {
            assertEquals(m.pieceCount() - 1, store.verifiedCount());
            int damaged = (int) (m.layout().fileStart(3) / PIECE);
            assertFalse(store.hasPiece(damaged));
        }
    }

    @Test
    void anUnforcedSaveIsTrustedInTheBootThatTookItAndNotAfterAReboot() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("d"), "t", TestTorrents.awkwardFiles(), PIECE, 6);
        Path file = tmp.resolve("d/t/sub/deeper/big.bin");
        Path resume;
        try (FilePieceStore store = FilePieceStore.open(m, tmp.resolve("d"))) {
            store.saveResume(false);
            resume = store.resumeFile();
        }
        ResumeData saved = ResumeData.read(resume, m.infoHash(), m.pieceCount()).orElseThrow();
        assertEquals(BootId.current(), saved.bootId(), "an unforced save names its boot (where the system tells)");
        long mtime = Files.getLastModifiedTime(file).toMillis();
        byte[] data = Files.readAllBytes(file);
        data[0] ^= 1; // as if the page cache had been lost: the file is not what was verified
        Files.write(file, data);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(mtime));
        try (FilePieceStore store = FilePieceStore.open(m, tmp.resolve("d"))) {
            assertTrue(store.isComplete(), "same boot: the stamps are trusted");
        }
        if (saved.bootId().isEmpty()) {
            return; // no boot ids here: every save is forced, so there is no other boot to tell apart
        }
        new ResumeData(saved.infoHash(), saved.files(), saved.verified(), Optional.of("another boot"))
                .writeAtomically(resume);
        try (FilePieceStore store = FilePieceStore.open(m, tmp.resolve("d"))) {
            int damaged = (int) (m.layout().fileStart(3) / PIECE);
            assertFalse(store.hasPiece(damaged), "after a reboot an unforced save is not trusted: re-hashed");
            assertEquals(m.pieceCount() - 1, store.verifiedCount());
        }
    }

    @Test
    void bootIdIsReadFromItsFileAndAnythingOddIsNoId() throws Exception {
        Path f = tmp.resolve("boot_id");
        Files.writeString(f, "8b1e3c1a-0f5e-4e9a-9a3e-3f0c2b7d9e11\n");
        assertEquals(Optional.of("8b1e3c1a-0f5e-4e9a-9a3e-3f0c2b7d9e11"), BootId.read(f));
        Files.writeString(f, "");
        assertEquals(Optional.empty(), BootId.read(f));
        assertEquals(Optional.empty(), BootId.read(tmp.resolve("missing")));
    }

    @Test
    void parserRefusesTorrentWhosePathEscapes() {
        byte[] evil = TestTorrents.withRawPath("t", List.of("..", "..", "evil"), 10, PIECE);
        assertThrows(InvalidMetainfoException.class, () -> MetainfoParser.parse(evil));
    }

    @Test
    void refusesASymlinkInsideTheFolderThatLeadsOutsideBeforeCreatingAnything() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("src"), "t", TestTorrents.awkwardFiles(), PIECE, 5);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(out.resolve("t"), elsewhere);
        IOException e = assertThrows(IOException.class, () -> FilePieceStore.open(m, out));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        try (var list = Files.list(elsewhere)) {
            assertEquals(0, list.count(), "nothing written through the link");
        }
    }

    /**
     * Writes {@code block} from a direct buffer read from an offset, as a received block is (a slice of the
     * socket buffer).
     */
    private static void writeDirect(PieceStore store, int piece, int begin, byte[] block) throws IOException {
        ByteBuffer frame = ByteBuffer.allocateDirect(block.length + 13).position(13);
        frame.put(block).position(13);
        store.writeBlock(piece, begin, frame.slice());
    }

    private static byte[] read(PieceStore store, int piece, int begin, int len) throws IOException {
        byte[] out = new byte[len];
        store.readBlock(piece, begin, ByteBuffer.wrap(out));
        return out;
    }
}
