package io.kadtorrent.engine.pick;

import io.kadtorrent.torrent.layout.PieceLayout;
import io.kadtorrent.torrent.metainfo.FileEntry;

import java.util.List;
import java.util.Locale;

/**
 * How much a user wants one file of a torrent. {@link #SKIP}ped files are not downloaded (nor created
 * on disk); among wanted files, pieces of {@link #HIGH} files are requested before {@link #NORMAL}
 * ones, and those before {@link #LOW} ones. A piece shared by two files takes the higher priority.
 */
public enum FilePriority {
    SKIP, LOW, NORMAL, HIGH;

    /** The name users type and the API shows: {@code skip}, {@code low}, {@code normal}, {@code high}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #label()} (case-insensitive); throws with the accepted names otherwise. */
    public static FilePriority parse(String text) {
        for (FilePriority p : values()) {
            if (p.label().equalsIgnoreCase(text.strip())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown priority '" + text + "' (use skip, low, normal or high)");
    }

    /**
     * Each piece's level (0 = not wanted, else {@code ordinal()}) for these file priorities: the highest
     * priority among the data files the piece overlaps. BEP 47 padding files do not count.
     */
    public static byte[] pieceLevels(PieceLayout layout, List<FileEntry> files, List<FilePriority> priorities) {
        if (priorities.size() != layout.fileCount()) {
            throw new IllegalArgumentException(priorities.size() + " priorities for " + layout.fileCount() + " files");
        }
        byte[] levels = new byte[layout.pieceCount()];
        for (int f = 0; f < layout.fileCount(); f++) {
            byte level = (byte) priorities.get(f).ordinal();
            if (level == 0 || layout.fileLengthBytes(f) == 0 || !files.get(f).isData()) {
                continue;
            }
            for (int p = layout.firstPieceOf(f); p <= layout.lastPieceOf(f); p++) {
                levels[p] = (byte) Math.max(levels[p], level);
            }
        }
        return levels;
    }
}
