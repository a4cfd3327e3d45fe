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
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.From;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class PeerWireCodecProperties {

    @Property
    void decodeOfEncodeIsIdentity(@ForAll("messages") PeerMessage m) {
        ByteBuf frame = PeerWireCodec.encode(m, UnpooledByteBufAllocator.DEFAULT);
        try {
            assertEquals(frame.readableBytes() - 4, frame.readInt(), "length prefix counts the rest");
            PeerMessage back = PeerWireCodec.decode(frame);
            assertEquals(m, back);
            assertEquals(0, frame.readableBytes());
            back.release();
        } finally {
            frame.release();
        }
    }

    @Property
    void decodingArbitraryFramesEitherYieldsAMessageOrAProtocolError(@ForAll byte[] frameBytes) {
        ByteBuf frame = UnpooledByteBufAllocator.DEFAULT.buffer().writeBytes(frameBytes);
        try {
            PeerMessage m = PeerWireCodec.decode(frame);
            ByteBuf again = PeerWireCodec.encode(m, UnpooledByteBufAllocator.DEFAULT);
            try {
                assertEquals(frameBytes.length, again.readableBytes() - 4, "a decoded frame re-encodes to its size");
            } finally {
                again.release();
                m.release();
            }
        } catch (PeerProtocolException expected) {
            // a clean refusal is the only other outcome
        } finally {
            frame.release();
        }
    }

    /** The streaming decoder gives back every message, whatever the split of the stream into reads. */
    @Property(tries = 200)
    void decoderReassemblesAnySplitOfAStream(@ForAll @Size(max = 12) List<@From("messages") PeerMessage> sent,
                                             @ForAll @IntRange(min = 1, max = 20000) int readBytes) {
        ByteBuf stream = UnpooledByteBufAllocator.DEFAULT.buffer();
        for (PeerMessage m : sent) {
            ByteBuf frame = PeerWireCodec.encode(m, UnpooledByteBufAllocator.DEFAULT);
            stream.writeBytes(frame);
            frame.release();
        }
        EmbeddedChannel in = new EmbeddedChannel(new PeerWireDecoder(BlockRequest.BLOCK_SIZE + 1024, new BlockAllocator(4)));
        while (stream.isReadable()) {
            in.writeInbound(stream.readRetainedSlice(Math.min(readBytes, stream.readableBytes())));
        }
        stream.release();
        for (PeerMessage m : sent) {
            PeerMessage back = in.readInbound();
            assertEquals(m, back);
            back.release();
        }
        assertNull(in.readInbound(), "nothing more than was sent");
        assertFalse(in.finish());
    }

    @Property
    void bitfieldCarriesExactlyThePieces(@ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 5000) int pieceCount,
                                         @ForAll long seed) {
        java.util.Random r = new java.util.Random(seed);
        java.util.BitSet pieces = new java.util.BitSet();
        for (int i = 0; i < pieceCount; i++) {
            if (r.nextBoolean()) {
                pieces.set(i);
            }
        }
        Bitfield b = Bitfield.of(pieces, pieceCount);
        assertEquals((pieceCount + 7) / 8, b.bits().length);
        assertEquals(pieces, b.pieces());
    }

    @Provide
    Arbitrary<PeerMessage> messages() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> block = Arbitraries.bytes().array(byte[].class).ofMaxSize(BlockRequest.BLOCK_SIZE);
        return Arbitraries.oneOf(
                Arbitraries.of(new KeepAlive(), new Choke(), new Unchoke(), new Interested(), new NotInterested()),
                index.map(Have::new),
                small.map(Bitfield::new),
                Combinators.combine(index, index, index).as(Request::new),
                Combinators.combine(index, index, index).as(Cancel::new),
                Combinators.combine(index, index, block).as(Piece::of),
                Arbitraries.integers().between(0, 0xFFFF).map(Port::new),
                Combinators.combine(Arbitraries.integers().between(0, 255), small).as(Extended::new),
                Arbitraries.of(new HaveAll(), new HaveNone()), // BEP 6 from here on
                index.map(SuggestPiece::new),
                index.map(AllowedFast::new),
                Combinators.combine(index, index, index).as(RejectRequest::new));
    }
}
