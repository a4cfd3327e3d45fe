package io.kadtorrent.torrent.layout;

/**
 * The part of one file that a byte range of the torrent covers.
 *
 * @param fileIndex   index into the torrent's file list
 * @param fileOffset  where the part starts inside that file, in bytes
 * @param lengthBytes how many bytes of the file the part covers (> 0)
 */
public record FileSpan(int fileIndex, long fileOffset, int lengthBytes) {

    public FileSpan {
        if (fileIndex < 0 || fileOffset < 0 || lengthBytes <= 0) {
            throw new IllegalArgumentException("bad file span " + fileIndex + "@" + fileOffset + "+" + lengthBytes);
        }
    }
}
