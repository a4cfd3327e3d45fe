package io.kadtorrent.engine.sim;

import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.engine.wire.PeerProtocolException;
import io.kadtorrent.engine.wire.PeerWireCodec;
import io.kadtorrent.engine.wire.PeerWireDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.List;

/**
 * The real peer wire for the simulator: frames become bytes through {@link PeerWireCodec} and
 * {@link Handshake}, and bytes become messages through the production {@link PeerWireDecoder} in an
 * {@link EmbeddedChannel}, one per receiving end. Whoever holds a buffer last releases it.
 */
final class PeerWire {

    /** Room for BEP 10 messages beyond a 16 KiB block, as the runtime allows ({@code Torrent.maxFrameBytes}). */
    private static final int EXTENSION_SLACK_BYTES = 1024;

    private final SyntheticTorrent torrent;
    private final ByteBufAllocator alloc;
    private final ByteBufAllocator blocks;
    private final int maxMessageBytes;

    /** {@code blocks}: where the decoders allocate received blocks (the production allocator, or a counting one). */
    PeerWire(SyntheticTorrent torrent, ByteBufAllocator alloc, ByteBufAllocator blocks) {
        this.torrent = torrent;
        this.alloc = alloc;
        this.blocks = blocks;
        this.maxMessageBytes = Math.max(1 + (torrent.metainfo().pieceCount() + 7) / 8,
                9 + BlockRequest.BLOCK_SIZE + EXTENSION_SLACK_BYTES);
    }

    /** A decoder for one receiving end, as the runtime installs after the handshake. */
    EmbeddedChannel newDecoder() {
        return new EmbeddedChannel(new PeerWireDecoder(maxMessageBytes, blocks));
    }

    /** Encodes message and request frames of {@code sizeBytes} in all, in order, into one new buffer the caller owns. */
    ByteBuf encode(List<Frame> frames, int sizeBytes) {
        if (frames.size() == 1) {
            return encode(frames.get(0)); // most often a lone have: no second buffer
        }
        ByteBuf out = alloc.buffer(sizeBytes);
        for (Frame f : frames) {
            if (f instanceof Frame.MessageFrame m) {
                ByteBuf one = PeerWireCodec.encode(m.message(), alloc);
                out.writeBytes(one);
                one.release();
            } else {
                writeRequests((Frame.RequestsFrame) f, out);
            }
        }
        return out;
    }

    private static void writeRequests(Frame.RequestsFrame r, ByteBuf out) {
        for (BlockRequest b : r.blocks()) {
            PeerWireCodec.writeRequest(out, b.pieceIndex(), b.begin(), b.lengthBytes());
        }
    }

    /** Encodes {@code frame} (not a handshake or fin) into a new buffer the caller owns. */
    ByteBuf encode(Frame frame) {
        if (frame instanceof Frame.MessageFrame m) {
            return PeerWireCodec.encode(m.message(), alloc);
        } else if (frame instanceof Frame.RequestsFrame r) {
            ByteBuf out = alloc.buffer(r.sizeBytes());
            writeRequests(r, out);
            return out;
        } else if (frame instanceof Frame.BlockFrame b) {
            ByteBuf out = alloc.buffer(b.sizeBytes());
            PeerWireCodec.writePieceHeader(out, b.label().pieceIndex(), b.label().begin(), b.label().lengthBytes());
            int at = out.writerIndex();
            torrent.write(b.content().pieceIndex(), b.content().begin(), b.label().lengthBytes(), out);
            if (b.corrupt()) {
                out.setByte(at, out.getByte(at) ^ 0x5a);
            }
            return out;
        }
        throw new IllegalArgumentException("not a message frame: " + frame);
    }

    /**
     * Splits {@code bytes} (released here) into messages as {@link PeerWireDecoder} frames them (the same
     * length cap) and decodes each with {@link PeerWireCodec#decode}, into {@code out}; for messages without
     * blocks, whole in {@code bytes}. A protocol error is thrown after the messages before it.
     */
    void decodeFrames(ByteBuf bytes, List<PeerMessage> out) {
        try {
            while (bytes.isReadable()) {
                int length = bytes.readInt();
                if (length < 0 || length > maxMessageBytes) {
                    throw new PeerProtocolException("message of " + Integer.toUnsignedString(length)
                            + " bytes exceeds the limit of " + maxMessageBytes);
                }
                if (length > bytes.readableBytes()) {
                    throw new IllegalStateException("a bulk train split a message"); // the harness's bug
                }
                out.add(PeerWireCodec.decode(bytes.readSlice(length)));
            }
        } finally {
            bytes.release();
        }
    }

    /** The handshake as the other side decodes it from its 68 bytes. */
    Handshake roundTrip(Handshake h) {
        ByteBuf buf = alloc.buffer(Handshake.LENGTH);
        try {
            h.encode(buf);
            return Handshake.decode(buf);
        } finally {
            buf.release();
        }
    }

    /**
     * Feeds {@code bytes} (released here) to {@code decoder}; returns the decoded messages, whose
     * pieces the caller owns. A protocol error is thrown after the messages before it were collected
     * into {@code out}.
     */
    static List<PeerMessage> decode(EmbeddedChannel decoder, ByteBuf bytes, List<PeerMessage> out) {
        try {
            decoder.writeInbound(bytes);
        } finally {
            for (Object m = decoder.readInbound(); m != null; m = decoder.readInbound()) {
                out.add((PeerMessage) m);
            }
        }
        return out;
    }

    static List<PeerMessage> newList() {
        return new ArrayList<>(4);
    }

    /** Bytes of {@code m} on the wire, length prefix included. */
    static int encodedSize(PeerMessage m) {
        if (m instanceof PeerMessage.KeepAlive) {
            return 4;
        } else if (m instanceof PeerMessage.Have) {
            return 9;
        } else if (m instanceof PeerMessage.Bitfield b) {
            return 5 + b.bits().length;
        } else if (m instanceof PeerMessage.Request || m instanceof PeerMessage.Cancel) {
            return PeerWireCodec.REQUEST_FRAME_LENGTH;
        } else if (m instanceof PeerMessage.Piece p) {
            return PeerWireCodec.PIECE_HEADER_LENGTH + p.lengthBytes();
        } else if (m instanceof PeerMessage.Port) {
            return 7;
        } else if (m instanceof PeerMessage.Extended e) {
            return 6 + e.payload().length;
        }
        return 5; // choke, unchoke, interested, not interested
    }
}
