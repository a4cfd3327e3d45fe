package io.kadtorrent.engine.wire;

import io.kadtorrent.engine.wire.PeerMessage.AllowedFast;
import io.kadtorrent.engine.wire.PeerMessage.Bitfield;
import io.kadtorrent.engine.wire.PeerMessage.Cancel;
import io.kadtorrent.engine.wire.PeerMessage.Choke;
import io.kadtorrent.engine.wire.PeerMessage.Extended;
import io.kadtorrent.engine.wire.PeerMessage.Have;
import io.kadtorrent.engine.wire.PeerMessage.HaveAll;
import io.kadtorrent.engine.wire.PeerMessage.HaveNone;
import io.kadtorrent.engine.wire.PeerMessage.Interested;
import io.kadtorrent.engine.wire.PeerMessage.KeepAlive;
import io.kadtorrent.engine.wire.PeerMessage.NotInterested;
import io.kadtorrent.engine.wire.PeerMessage.Piece;
import io.kadtorrent.engine.wire.PeerMessage.Port;
import io.kadtorrent.engine.wire.PeerMessage.RejectRequest;
import io.kadtorrent.engine.wire.PeerMessage.Request;
import io.kadtorrent.engine.wire.PeerMessage.SuggestPiece;
import io.kadtorrent.engine.wire.PeerMessage.Unchoke;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Encodes {@link PeerMessage} records as length-prefixed BEP 3 frames, and decodes one frame (length
 * prefix already stripped) into a record for {@link PeerWireDecoder}, which does the framing. The
 * encoder is stateless, so one shared instance serves every channel. Raw {@link ByteBuf}s written by the connection (block headers + data read from disk) pass
 * through the encoder untouched. A decoded {@link Piece} owns a buffer of its own (see {@link Piece}).
 */
@Sharable
public final class PeerWireCodec extends MessageToMessageEncoder<PeerMessage> {

    public static final PeerWireCodec INSTANCE = new PeerWireCodec();
    /** Bytes of a piece message before its block: length (4), id (1), index (4), begin (4). */
    public static final int PIECE_HEADER_LENGTH = 13;
    /** Bytes of a whole request message: length (4), id (1), index (4), begin (4), length (4). */
    public static final int REQUEST_FRAME_LENGTH = 17;

    private static final KeepAlive KEEP_ALIVE = new KeepAlive();
    private static final Choke CHOKE = new Choke();
    private static final Unchoke UNCHOKE = new Unchoke();
    private static final Interested INTERESTED = new Interested();
    private static final NotInterested NOT_INTERESTED = new NotInterested();
    private static final HaveAll HAVE_ALL = new HaveAll();
    private static final HaveNone HAVE_NONE = new HaveNone();

    private PeerWireCodec() {
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, PeerMessage msg, List<Object> out) {
        out.add(encode(msg, ctx.alloc()));
    }

    /**
     * Decodes one frame without its length prefix; throws {@link PeerProtocolException} on malformed input.
     * A {@link Piece} holds a newly allocated buffer: release the message when done with it.
     */
    public static PeerMessage decode(ByteBuf frame) {
        if (!frame.isReadable()) {
            return KEEP_ALIVE;
        }
        int id = frame.readUnsignedByte();
        int payload = frame.readableBytes();
        PeerMessage m = switch (id) {
            case PeerMessage.CHOKE -> fixed(payload, 0, "choke", CHOKE);
            case PeerMessage.UNCHOKE -> fixed(payload, 0, "unchoke", UNCHOKE);
            case PeerMessage.INTERESTED -> fixed(payload, 0, "interested", INTERESTED);
            case PeerMessage.NOT_INTERESTED -> fixed(payload, 0, "not interested", NOT_INTERESTED);
            case PeerMessage.HAVE -> new Have(index(frame, payload, 4, "have"));
            case PeerMessage.BITFIELD -> new Bitfield(bytes(frame, payload));
            case PeerMessage.REQUEST -> new Request(index(frame, payload, 12, "request"),
                    nonNegative(frame.readInt(), "request begin"), nonNegative(frame.readInt(), "request length"));
            case PeerMessage.PIECE -> piece(frame, payload);
            case PeerMessage.CANCEL -> new Cancel(index(frame, payload, 12, "cancel"),
                    nonNegative(frame.readInt(), "cancel begin"), nonNegative(frame.readInt(), "cancel length"));
            case PeerMessage.PORT -> {
                fixed(payload, 2, "port", null);
                yield new Port(frame.readUnsignedShort());
            }
            case PeerMessage.SUGGEST_PIECE -> new SuggestPiece(index(frame, payload, 4, "suggest piece"));
            case PeerMessage.HAVE_ALL -> fixed(payload, 0, "have all", HAVE_ALL);
            case PeerMessage.HAVE_NONE -> fixed(payload, 0, "have none", HAVE_NONE);
            case PeerMessage.REJECT_REQUEST -> new RejectRequest(index(frame, payload, 12, "reject request"),
                    nonNegative(frame.readInt(), "reject begin"), nonNegative(frame.readInt(), "reject length"));
            case PeerMessage.ALLOWED_FAST -> new AllowedFast(index(frame, payload, 4, "allowed fast"));
            case PeerMessage.EXTENDED -> {
                if (payload < 1) {
                    throw new PeerProtocolException("extended message without an extended id");
                }
                yield new Extended(frame.readUnsignedByte(), bytes(frame, payload - 1));
            }
            default -> throw new PeerProtocolException("unknown message id " + id);
        };
        return m;
    }

    /** Encodes {@code msg} as one frame with its 4-byte length prefix; {@code msg} is not released. */
    public static ByteBuf encode(PeerMessage msg, ByteBufAllocator alloc) {
        // Java 17: no pattern switch yet, so an instanceof chain over the sealed family.
        if (msg instanceof KeepAlive) {
            return alloc.buffer(4).writeInt(0);
        } else if (msg instanceof Choke) {
            return simple(alloc, PeerMessage.CHOKE);
        } else if (msg instanceof Unchoke) {
            return simple(alloc, PeerMessage.UNCHOKE);
        } else if (msg instanceof Interested) {
            return simple(alloc, PeerMessage.INTERESTED);
        } else if (msg instanceof NotInterested) {
            return simple(alloc, PeerMessage.NOT_INTERESTED);
        } else if (msg instanceof Have h) {
            return alloc.buffer(9).writeInt(5).writeByte(PeerMessage.HAVE).writeInt(h.pieceIndex());
        } else if (msg instanceof Bitfield b) {
            byte[] bits = b.bits();
            return alloc.buffer(5 + bits.length).writeInt(1 + bits.length).writeByte(PeerMessage.BITFIELD)
                    .writeBytes(bits);
        } else if (msg instanceof Request r) {
            return writeRequest(alloc.buffer(REQUEST_FRAME_LENGTH), r.pieceIndex(), r.begin(), r.lengthBytes());
        } else if (msg instanceof Cancel c) {
            return writeTriple(alloc.buffer(REQUEST_FRAME_LENGTH), PeerMessage.CANCEL, c.pieceIndex(), c.begin(),
                    c.lengthBytes());
        } else if (msg instanceof Piece p) {
            ByteBuf out = alloc.buffer(PIECE_HEADER_LENGTH + p.lengthBytes());
            writePieceHeader(out, p.pieceIndex(), p.begin(), p.lengthBytes());
            return out.writeBytes(p.block().bytes());
        } else if (msg instanceof Port p) {
            return alloc.buffer(7).writeInt(3).writeByte(PeerMessage.PORT).writeShort(p.port());
        } else if (msg instanceof SuggestPiece p) {
            return alloc.buffer(9).writeInt(5).writeByte(PeerMessage.SUGGEST_PIECE).writeInt(p.pieceIndex());
        } else if (msg instanceof HaveAll) {
            return simple(alloc, PeerMessage.HAVE_ALL);
        } else if (msg instanceof HaveNone) {
            return simple(alloc, PeerMessage.HAVE_NONE);
        } else if (msg instanceof RejectRequest r) {
            return writeTriple(alloc.buffer(REQUEST_FRAME_LENGTH), PeerMessage.REJECT_REQUEST, r.pieceIndex(),
                    r.begin(), r.lengthBytes());
        } else if (msg instanceof AllowedFast a) {
            return alloc.buffer(9).writeInt(5).writeByte(PeerMessage.ALLOWED_FAST).writeInt(a.pieceIndex());
        } else if (msg instanceof Extended e) {
            byte[] payload = e.payload();
            return alloc.buffer(6 + payload.length).writeInt(2 + payload.length).writeByte(PeerMessage.EXTENDED)
                    .writeByte(e.extendedId()).writeBytes(payload);
        }
        throw new IllegalArgumentException("unknown message " + msg);
    }

    /** Writes the 13-byte header of a piece message whose {@code lengthBytes} block follows separately. */
    public static ByteBuf writePieceHeader(ByteBuf out, int pieceIndex, int begin, int lengthBytes) {
        return out.writeInt(9 + lengthBytes).writeByte(PeerMessage.PIECE).writeInt(pieceIndex).writeInt(begin);
    }

    /** Appends one whole request message (length prefix included) to {@code out}. */
    public static ByteBuf writeRequest(ByteBuf out, int pieceIndex, int begin, int lengthBytes) {
        return writeTriple(out, PeerMessage.REQUEST, pieceIndex, begin, lengthBytes);
    }

    private static Piece piece(ByteBuf frame, int payload) {
        if (payload < 8) {
            throw new PeerProtocolException("piece message of " + payload + " bytes is shorter than its header");
        }
        int index = frame.readInt();
        int begin = frame.readInt();
        int length = payload - 8;
        checkPieceHeader(index, begin, length);
        // A buffer of its own, not a slice of the frame: a block waiting in the disk queue must not pin the
        // whole receive buffer it came in (up to four times its size).
        ByteBuf block = frame.alloc().directBuffer(length, length);
        return new Piece(index, begin, new ByteBufBlock(block.writeBytes(frame, length)));
    }

    /** Checks the header fields of a piece message whose block is {@code blockBytes} long. */
    static void checkPieceHeader(int index, int begin, int blockBytes) {
        nonNegative(index, "piece index");
        nonNegative(begin, "piece begin");
        if (blockBytes > BlockRequest.BLOCK_SIZE) {
            throw new PeerProtocolException("piece block of " + blockBytes + " bytes exceeds 16 KiB");
        }
    }

    private static <T extends PeerMessage> T fixed(int payload, int expected, String name, T value) {
        if (payload != expected) {
            throw new PeerProtocolException(name + " payload is " + payload + " bytes, expected " + expected);
        }
        return value;
    }

    private static int index(ByteBuf frame, int payload, int expected, String name) {
        fixed(payload, expected, name, null);
        return nonNegative(frame.readInt(), name + " index");
    }

    private static int nonNegative(int value, String what) {
        if (value < 0) {
            throw new PeerProtocolException(what + " is negative: " + value);
        }
        return value;
    }

    private static byte[] bytes(ByteBuf frame, int length) {
        byte[] b = new byte[length]; // bounded: the frame decoder capped the frame before it was allocated
        frame.readBytes(b);
        return b;
    }

    private static ByteBuf simple(ByteBufAllocator alloc, byte id) {
        return alloc.buffer(5).writeInt(1).writeByte(id);
    }

    private static ByteBuf writeTriple(ByteBuf out, byte id, int a, int b, int c) {
        return out.writeInt(13).writeByte(id).writeInt(a).writeInt(b).writeInt(c);
    }
}
