package io.kadtorrent.torrent.metainfo;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kadtorrent.torrent.layout.FileSpan;
import io.kadtorrent.torrent.layout.PieceLayout;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link MetainfoParser#parse(byte[])}, the .torrent files users open and the
 * metadata peers and servers send. Properties: only {@link InvalidMetainfoException} escapes; an accepted
 * torrent has a safe name and safe path components (no traversal), holds no more hashes than the input had
 * bytes, hashes to the SHA-1 of its {@code info} bytes, has a piece layout whose last piece is as long as
 * its file spans say, and survives {@code parse(toBytes())} unchanged. Corpus: {@code MetainfoFuzzTestInputs/parse}.
 */
class MetainfoFuzzTest {

    @FuzzTest
    void parse(byte[] input) throws InvalidMetainfoException, NoSuchAlgorithmException {
        Metainfo m;
        try {
            m = MetainfoParser.parse(input);
        } catch (InvalidMetainfoException rejected) {
            return;
        }
        assertNull(FileEntry.componentProblem(m.name()), m.name());
        for (FileEntry f : m.files()) {
            assertTrue(f.lengthBytes() >= 0);
            f.path().forEach(c -> assertNull(FileEntry.componentProblem(c), f.displayPath()));
        }
        assertTrue((long) m.pieceCount() * InfoHash.LENGTH <= input.length, "hashes beyond the input");
        assertArrayEquals(MessageDigest.getInstance("SHA-1").digest(m.rawInfo()), m.infoHash().bytes());

        PieceLayout layout = m.layout();
        assertEquals(m.pieceCount(), layout.pieceCount());
        assertEquals(m.totalBytes(), layout.totalBytes());
        int last = layout.pieceCount() - 1;
        int lastSize = layout.pieceSize(last);
        assertTrue(lastSize > 0 && lastSize <= m.pieceLengthBytes(), "last piece " + lastSize);
        assertEquals(lastSize, layout.spansOfPiece(last).stream().mapToLong(FileSpan::lengthBytes).sum());

        Metainfo again = MetainfoParser.parse(m.toBytes());
        assertEquals(m, again);
        assertEquals(m.infoHash(), again.infoHash());
        assertEquals(m.files(), again.files());
    }
}
