package io.kadtorrent.torrent.layout;

import io.kadtorrent.torrent.metainfo.FileEntry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Piece <-> file math for one torrent: the torrent is the concatenation of its files in order,
 * cut into pieces of {@code pieceLengthBytes} (the last one shorter). A piece may span many
 * files; empty files take no bytes. This is the only place this arithmetic lives.
 */
public final class PieceLayout {

    private final long[] fileStarts; // byte offset of each file in the torrent's concatenation
    private final long[] fileLengths;
    private final int pieceLengthBytes;
    private final long totalBytes;
    private final int pieceCount;

    private PieceLayout(long[] fileLengths, int pieceLengthBytes) {
        this.fileLengths = fileLengths;
        this.pieceLengthBytes = pieceLengthBytes;
        this.fileStarts = new long[fileLengths.length];
        long offset = 0;
        for (int i = 0; i < fileLengths.length; i++) {
            fileStarts[i] = offset;
            offset = Math.addExact(offset, fileLengths[i]);
        }
        this.totalBytes = offset;
        long pieces = (totalBytes + pieceLengthBytes - 1) / pieceLengthBytes;
        if (pieces > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many pieces: " + pieces);
        }
        this.pieceCount = (int) pieces;
    }

    public static PieceLayout of(List<FileEntry> files, int pieceLengthBytes) {
        return ofLengths(files.stream().mapToLong(FileEntry::lengthBytes).toArray(), pieceLengthBytes);
    }

    public static PieceLayout ofLengths(long[] fileLengths, int pieceLengthBytes) {
        if (pieceLengthBytes <= 0) {
            throw new IllegalArgumentException("piece length must be > 0");
        }
        for (long l : fileLengths) {
            if (l < 0) {
                throw new IllegalArgumentException("file length must be >= 0");
            }
        }
        return new PieceLayout(fileLengths.clone(), pieceLengthBytes);
    }

    public long totalBytes() {
        return totalBytes;
    }

    public int pieceCount() {
        return pieceCount;
    }

    public int pieceLengthBytes() {
        return pieceLengthBytes;
    }

    public int fileCount() {
        return fileLengths.length;
    }

    public long fileLengthBytes(int fileIndex) {
        return fileLengths[fileIndex];
    }

    /** Offset of file {@code fileIndex} in the torrent's byte stream. */
    public long fileStart(int fileIndex) {
        return fileStarts[fileIndex];
    }

    /** Size of piece {@code index}: the piece length, except for a shorter last piece. */
    public int pieceSize(int index) {
        checkPiece(index);
        long start = pieceStart(index);
        return (int) Math.min(pieceLengthBytes, totalBytes - start);
    }

    /** Offset of piece {@code index} in the torrent's byte stream. */
    public long pieceStart(int index) {
        checkPiece(index);
        return (long) index * pieceLengthBytes;
    }

    /** The file parts covered by all of piece {@code index}, in order. */
    public List<FileSpan> spansOfPiece(int index) {
        return spans(pieceStart(index), pieceSize(index));
    }

    /** The file parts covered by {@code length} bytes at {@code begin} inside piece {@code index}. */
    public List<FileSpan> spansOfBlock(int index, int begin, int length) {
        if (begin < 0 || length <= 0 || (long) begin + length > pieceSize(index)) {
            throw new IllegalArgumentException("block " + begin + "+" + length + " outside piece " + index);
        }
        return spans(pieceStart(index) + begin, length);
    }

    /** The file parts covered by the torrent bytes {@code [offset, offset + length)}, in order. */
    public List<FileSpan> spans(long offset, int length) {
        if (offset < 0 || length < 0 || offset + length > totalBytes) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside " + totalBytes);
        }
        List<FileSpan> out = new ArrayList<>(2);
        int file = fileAt(offset);
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            long fileEnd = fileStarts[file] + fileLengths[file];
            int take = (int) (Math.min(end, fileEnd) - pos);
            if (take > 0) {
                out.add(new FileSpan(file, pos - fileStarts[file], take));
                pos += take;
            }
            file++;
        }
        return out;
    }

    /** Index of the first piece holding a byte of file {@code fileIndex}, or -1 for an empty file. */
    public int firstPieceOf(int fileIndex) {
        return fileLengths[fileIndex] == 0 ? -1 : (int) (fileStarts[fileIndex] / pieceLengthBytes);
    }

    /** Index of the last piece holding a byte of file {@code fileIndex}, or -1 for an empty file. */
    public int lastPieceOf(int fileIndex) {
        if (fileLengths[fileIndex] == 0) {
            return -1;
        }
        return (int) ((fileStarts[fileIndex] + fileLengths[fileIndex] - 1) / pieceLengthBytes);
    }

    /** The non-empty file holding torrent byte {@code offset}. */
    private int fileAt(long offset) {
        int i = Arrays.binarySearch(fileStarts, offset);
        if (i < 0) {
            i = -i - 2; // insertion point - 1: the file starting before offset
        } else {
            // several files may start here (empty ones first); take the last of them
            while (i + 1 < fileStarts.length && fileStarts[i + 1] == offset) {
                i++;
            }
        }
        while (i < fileLengths.length - 1 && fileLengths[i] == 0) {
            i++;
        }
        return Math.max(i, 0);
    }

    private void checkPiece(int index) {
        if (index < 0 || index >= pieceCount) {
            throw new IllegalArgumentException("piece " + index + " outside 0.." + (pieceCount - 1));
        }
    }
}
