package io.kadtorrent.torrent.bencode;

/**
 * Caps applied to every bencoded input before anything is allocated for it.
 *
 * @param maxBytes  largest accepted input, in bytes
 * @param maxDepth  deepest accepted nesting of lists and dictionaries
 * @param maxItems  most values (of any kind) in one input, so a small input of many tiny
 *                  items cannot inflate into a huge object graph
 */
public record BencodeLimits(int maxBytes, int maxDepth, int maxItems) {

    /** Limits for .torrent files: 64 MiB covers a 16 MiB-piece torrent of several TiB. */
    public static final BencodeLimits TORRENT_FILE = new BencodeLimits(64 << 20, 64, 4_000_000);

    /** Limits for one UDP datagram or one small protocol frame. */
    public static final BencodeLimits DATAGRAM = new BencodeLimits(64 << 10, 16, 4_096);

    public BencodeLimits {
        if (maxBytes <= 0 || maxDepth <= 0 || maxItems <= 0) {
            throw new IllegalArgumentException("bencode limits must be positive");
        }
    }

    public static BencodeLimits of(int maxBytes, int maxDepth, int maxItems) {
        return new BencodeLimits(maxBytes, maxDepth, maxItems);
    }
}
