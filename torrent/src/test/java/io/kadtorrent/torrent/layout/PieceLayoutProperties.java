package io.kadtorrent.torrent.layout;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks the layout against a naive model that walks the torrent one byte at a time. */
class PieceLayoutProperties {

    @Property(tries = 300)
    void everyPieceMapsToTheFileBytesOfTheNaiveModel(@ForAll("fileLengths") long[] lengths,
                                                     @ForAll @IntRange(min = 1, max = 700) int pieceLength) {
        long total = java.util.Arrays.stream(lengths).sum();
        PieceLayout layout = PieceLayout.ofLengths(lengths, pieceLength);
        assertEquals(total, layout.totalBytes());
        assertEquals((total + pieceLength - 1) / pieceLength, layout.pieceCount());
        long[][] owner = naiveOwners(lengths); // owner[b] = {file, offsetInFile}
        for (int piece = 0; piece < layout.pieceCount(); piece++) {
            long start = (long) piece * pieceLength;
            int size = (int) Math.min(pieceLength, total - start);
            assertEquals(start, layout.pieceStart(piece));
            assertEquals(size, layout.pieceSize(piece));
            assertEquals(naiveSpans(owner, start, size), layout.spansOfPiece(piece));
        }
    }

    @Property(tries = 300)
    void anyRangeMapsToTheNaiveModel(@ForAll("fileLengths") long[] lengths,
                                     @ForAll @IntRange(min = 0, max = 10_000) int a,
                                     @ForAll @IntRange(min = 0, max = 10_000) int b) {
        long total = java.util.Arrays.stream(lengths).sum();
        PieceLayout layout = PieceLayout.ofLengths(lengths, 64);
        long offset = total == 0 ? 0 : a % (total + 1);
        int length = (int) (total == 0 ? 0 : b % (total - offset + 1));
        assertEquals(naiveSpans(naiveOwners(lengths), offset, length), layout.spans(offset, length));
    }

    @Property(tries = 300)
    void firstAndLastPieceOfEachFileMatchTheNaiveModel(@ForAll("fileLengths") long[] lengths,
                                                       @ForAll @IntRange(min = 1, max = 500) int pieceLength) {
        PieceLayout layout = PieceLayout.ofLengths(lengths, pieceLength);
        long start = 0;
        for (int f = 0; f < lengths.length; f++) {
            int first = lengths[f] == 0 ? -1 : (int) (start / pieceLength);
            int last = lengths[f] == 0 ? -1 : (int) ((start + lengths[f] - 1) / pieceLength);
            assertEquals(first, layout.firstPieceOf(f));
            assertEquals(last, layout.lastPieceOf(f));
            assertEquals(start, layout.fileStart(f));
            start += lengths[f];
        }
    }

    @Property(tries = 200)
    void blocksInsideAPieceMapToTheNaiveModel(@ForAll("fileLengths") long[] lengths,
                                              @ForAll @IntRange(min = 1, max = 300) int pieceLength,
                                              @ForAll @IntRange(min = 0, max = 100_000) int seed) {
        PieceLayout layout = PieceLayout.ofLengths(lengths, pieceLength);
        if (layout.pieceCount() == 0) {
            return;
        }
        int piece = seed % layout.pieceCount();
        int size = layout.pieceSize(piece);
        int begin = seed % size;
        int length = 1 + (seed / 7) % (size - begin);
        assertEquals(naiveSpans(naiveOwners(lengths), layout.pieceStart(piece) + begin, length),
                layout.spansOfBlock(piece, begin, length));
    }

    @Provide
    Arbitrary<long[]> fileLengths() {
        Arbitrary<Long> length = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(0L)),
                net.jqwik.api.Tuple.of(7, Arbitraries.longs().between(1, 2000)));
        return length.list().ofMaxSize(8).map(l -> l.stream().mapToLong(Long::longValue).toArray());
    }

    private static long[][] naiveOwners(long[] lengths) {
        List<long[]> owners = new ArrayList<>();
        for (int f = 0; f < lengths.length; f++) {
            for (long o = 0; o < lengths[f]; o++) {
                owners.add(new long[]{f, o});
            }
        }
        return owners.toArray(new long[0][]);
    }

    /** Groups consecutive bytes that belong to the same file into spans. */
    private static List<FileSpan> naiveSpans(long[][] owner, long offset, int length) {
        List<FileSpan> out = new ArrayList<>();
        int i = (int) offset;
        while (i < offset + length) {
            int file = (int) owner[i][0];
            long fileOffset = owner[i][1];
            int n = 0;
            while (i < offset + length && owner[i][0] == file) {
                i++;
                n++;
            }
            out.add(new FileSpan(file, fileOffset, n));
        }
        return out;
    }
}
