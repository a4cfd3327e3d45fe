package io.kadtorrent.engine.wire;

/**
 * One block of a piece: {@code lengthBytes} at offset {@code begin} inside piece {@code pieceIndex}.
 * BEP 3: blocks are 16 KiB except the last one of a piece.
 */
public record BlockRequest(int pieceIndex, int begin, int lengthBytes) {

    /** BEP 3: the block size every client uses; larger requests are refused. */
    public static final int BLOCK_SIZE = 16 * 1024;

    public BlockRequest {
        if (pieceIndex < 0 || begin < 0 || lengthBytes <= 0) {
            throw new IllegalArgumentException("bad block " + pieceIndex + "/" + begin + "+" + lengthBytes);
        }
    }

    /*
     * Written out, with the values the record's generated methods give (the same hash, so hash-ordered
     * collections iterate as before): the generated ones dispatch through method handles, a measurable share of
     * the swarm simulator's time, where every block is looked up in several maps.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof BlockRequest b && b.pieceIndex == pieceIndex && b.begin == begin
                && b.lengthBytes == lengthBytes;
    }

    @Override
    public int hashCode() {
        return (31 * pieceIndex + begin) * 31 + lengthBytes;
    }
}
