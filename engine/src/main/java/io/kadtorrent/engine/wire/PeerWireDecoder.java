package io.kadtorrent.engine.wire;

import io.kadtorrent.engine.wire.PeerMessage.Piece;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * BEP 3 framing and message decoding in one stage: reads the 4-byte length, refuses a message longer
 * than the cap before buffering any of it, and turns each message into a {@link PeerMessage}.
 *
 * <p>A piece message is not buffered whole. Once its 13-byte header is in, its block gets a buffer of
 * its own, and the block's bytes go there from each read as they arrive. So the receive buffers are
 * almost always consumed to the end, Netty's cumulation never has to grow and copy a partial 16 KiB
 * message, and each received byte is copied once. Other messages are small and are decoded by
 * {@link PeerWireCodec#decode(ByteBuf)} once they are complete.
 */
public final class PeerWireDecoder extends ByteToMessageDecoder {

    private static final int LENGTH_PREFIX_BYTES = 4;
    /** Length prefix (4), id (1), index (4), begin (4). */
    private static final int PIECE_HEADER_BYTES = 13;

    private final int maxMessageBytes;
    private final ByteBufAllocator blocks;
    /** The block of the piece message being received, or null between messages. */
    private ByteBuf block;
    private int blockPiece;
    private int blockBegin;
    /** Set by a protocol error: the connection is closing, and what else arrives is dropped unread. */
    private boolean failed;

    /**
     * {@code maxMessageBytes}: the longest message accepted, not counting its length prefix; {@code blocks}:
     * where the buffers of received blocks come from.
     */
    public PeerWireDecoder(int maxMessageBytes, ByteBufAllocator blocks) {
        if (maxMessageBytes < PIECE_HEADER_BYTES) {
            throw new IllegalArgumentException("message cap too small: " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
        this.blocks = blocks;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            decodeAvailable(in, out);
        } catch (PeerProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void decodeAvailable(ByteBuf in, List<Object> out) {
        while (true) {
            if (block != null) {
                block.writeBytes(in, Math.min(block.writableBytes(), in.readableBytes()));
                if (block.isWritable()) {
                    return; // the rest of the block comes in a later read
                }
                out.add(new Piece(blockPiece, blockBegin, new ByteBufBlock(block)));
                block = null;
            }
            int available = in.readableBytes();
            if (available < LENGTH_PREFIX_BYTES) {
                return;
            }
            int start = in.readerIndex();
            int length = in.getInt(start);
            if (length < 0 || length > maxMessageBytes) {
                throw new PeerProtocolException("message of " + Integer.toUnsignedString(length)
                        + " bytes exceeds the limit of " + maxMessageBytes);
            }
            if (length > 0 && available == LENGTH_PREFIX_BYTES) {
                return; // the id is not in yet
            }
            if (length >= PIECE_HEADER_BYTES - LENGTH_PREFIX_BYTES
                    && in.getByte(start + LENGTH_PREFIX_BYTES) == PeerMessage.PIECE) {
                if (available < PIECE_HEADER_BYTES) {
                    return;
                }
                startBlock(in, length);
                continue;
            }
            if (available < LENGTH_PREFIX_BYTES + length) {
                return;
            }
            ByteBuf frame = in.slice(start + LENGTH_PREFIX_BYTES, length);
            in.skipBytes(LENGTH_PREFIX_BYTES + length);
            out.add(PeerWireCodec.decode(frame));
        }
    }

    /** Reads a piece message's header from {@code in} and allocates the buffer its block will fill. */
    private void startBlock(ByteBuf in, int length) {
        in.skipBytes(LENGTH_PREFIX_BYTES + 1);
        int piece = in.readInt();
        int begin = in.readInt();
        int blockBytes = length - (PIECE_HEADER_BYTES - LENGTH_PREFIX_BYTES);
        PeerWireCodec.checkPieceHeader(piece, begin, blockBytes);
        blockPiece = piece;
        blockBegin = begin;
        block = blocks.directBuffer(blockBytes, blockBytes);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (block != null) {
            block.release();
            block = null;
        }
    }
}
