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
}
