package io.kadtorrent.engine.wire;

import io.kadtorrent.engine.net.PeerChannelInitializer;
import io.kadtorrent.engine.wire.PeerMessage.Bitfield;
import io.kadtorrent.engine.wire.PeerMessage.Cancel;
import io.kadtorrent.engine.wire.PeerMessage.Choke;
import io.kadtorrent.engine.wire.PeerMessage.Extended;
import io.kadtorrent.engine.wire.PeerMessage.Have;
import io.kadtorrent.engine.wire.PeerMessage.Interested;
import io.kadtorrent.engine.wire.PeerMessage.KeepAlive;
import io.kadtorrent.engine.wire.PeerMessage.NotInterested;
import io.kadtorrent.engine.wire.PeerMessage.Piece;
import io.kadtorrent.engine.wire.PeerMessage.Port;
import io.kadtorrent.engine.wire.PeerMessage.Request;
import io.kadtorrent.engine.wire.PeerMessage.Unchoke;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerWireCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void encodesRequestAsBep3Bytes() {
        ByteBuf out = PeerWireCodec.encode(new Request(1, 16384, 16384), Unpooled.buffer().alloc());
        try {
            assertEquals("0000000d" // length 13
                    + "06"           // id: request
                    + "00000001"     // index 1
                    + "00004000"     // begin 16384
                    + "00004000",    // length 16384
                    ByteBufUtil.hexDump(out));
        } finally {
            out.release();
        }
    }

    @Test
    void decodesHaveAndBitfieldFixtures() {
        assertEquals(new Have(7), decodeHex("04" + "00000007"));
        assertEquals(new Bitfield(new byte[]{(byte) 0xA0, 0x01}), decodeHex("05" + "a001"));
        assertEquals(new KeepAlive(), decodeHex(""));
        assertEquals(new Port(6881), decodeHex("09" + "1ae1"));
    }

    @Test
    void decodesFastExtensionFixtures() {
        assertEquals(new PeerMessage.SuggestPiece(5), decodeHex("0d" + "00000005"));
        assertEquals(new PeerMessage.HaveAll(), decodeHex("0e"));
        assertEquals(new PeerMessage.HaveNone(), decodeHex("0f"));
        assertEquals(new PeerMessage.RejectRequest(1, 16384, 16384), decodeHex("10" // id: reject request
                + "00000001"     // index 1
                + "00004000"     // begin 16384
                + "00004000"));  // length 16384
        assertEquals(new PeerMessage.AllowedFast(1059), decodeHex("11" + "00000423"));
        assertThrows(PeerProtocolException.class, () -> decodeHex("0e" + "00"));       // have all with payload
        assertThrows(PeerProtocolException.class, () -> decodeHex("11" + "000001"));   // allowed fast too short
        assertThrows(PeerProtocolException.class, () -> decodeHex("10" + "0000000100000000")); // reject short
        assertThrows(PeerProtocolException.class, () -> decodeHex("0d" + "80000000")); // negative index
    }

    @Test
    void roundTripsEveryMessageThroughFrameDecoderAndCodec() {
        List<PeerMessage> all = List.of(new KeepAlive(), new Choke(), new Unchoke(), new Interested(),
                new NotInterested(), new Have(3), new Bitfield(new byte[]{1, 2, 3}), new Request(1, 0, 16384),
                Piece.of(2, 16384, new byte[]{9, 8, 7}), new Cancel(1, 0, 16384), new Port(51413),
                new Extended(0, "d1:md11:ut_metadatai3eee".getBytes()), new PeerMessage.HaveAll(),
                new PeerMessage.HaveNone(), new PeerMessage.SuggestPiece(4), new PeerMessage.AllowedFast(9),
                new PeerMessage.RejectRequest(1, 0, 16384));
        EmbeddedChannel out = new EmbeddedChannel(PeerWireCodec.INSTANCE);
        EmbeddedChannel in = new EmbeddedChannel(PeerChannelInitializer.frameDecoder(32 * 1024));
        for (PeerMessage m : all) {
                        assertTrue(out.writeOutbound(m));
            ByteBuf encoded = out.readOutbound();
            in.writeInbound(encoded);
            PeerMessage back = in.readInbound();
            assertEquals(m, back);
            back.release();
            m.release();
        }
        assertTrue(!out.finish() && !in.finish());
    }

    @Test
    void rejectsWrongFixedLengthsAndUnknownIds() {
        assertThrows(PeerProtocolException.class, () -> decodeHex("00" + "00"));        // choke with payload
        assertThrows(PeerProtocolException.class, () -> decodeHex("04" + "000001"));    // have too short
        assertThrows(PeerProtocolException.class, () -> decodeHex("06" + "0000000100000000")); // request short
        assertThrows(PeerProtocolException.class, () -> decodeHex("04" + "ffffffff"));  // negative index
        assertThrows(PeerProtocolException.class, () -> decodeHex("63"));              // id 99
        assertThrows(PeerProtocolException.class, () -> decodeHex("14"));              // extended without id
    }

    @Test
    void refusesPieceBlocksLargerThan16KiB() {
        ByteBuf frame = Unpooled.buffer().writeByte(7).writeInt(0).writeInt(0).writeZero(16 * 1024 + 1);
        try {
            assertThrows(PeerProtocolException.class, () -> PeerWireCodec.decode(frame));
        } finally {
            frame.release();
        }
    }

    @Test
    void frameDecoderRefusesOversizedLengthBeforeReadingIt() {
        EmbeddedChannel in = new EmbeddedChannel(PeerChannelInitializer.frameDecoder(1000));
        ByteBuf huge = Unpooled.buffer().writeInt(0x7fffffff).writeByte(7);
        assertThrows(DecoderException.class, () -> in.writeInbound(huge));
        in.finishAndReleaseAll();
    }

    @Test
    void decoderRefusesAPieceBlockOver16KiBBeforeAllocatingIt() {
        EmbeddedChannel in = new EmbeddedChannel(PeerChannelInitializer.frameDecoder(64 * 1024));
        ByteBuf header = Unpooled.buffer().writeInt(9 + 16 * 1024 + 1).writeByte(7).writeInt(0).writeInt(0);
        assertThrows(DecoderException.class, () -> in.writeInbound(header));
        in.finishAndReleaseAll();
    }

    @Test
    void decoderReleasesAHalfReceivedBlockWhenTheChannelCloses() {
        BlockAllocator blocks = new BlockAllocator(4);
        EmbeddedChannel in = new EmbeddedChannel(new PeerWireDecoder(32 * 1024, blocks));
        in.writeInbound(Unpooled.buffer().writeInt(9 + 16 * 1024).writeByte(7).writeInt(1).writeInt(0).writeZero(100));
        assertNull(in.readInbound(), "the block is not complete");
        assertEquals(0, blocks.freeBlocks(), "the block holds its buffer");
        in.finishAndReleaseAll();
        assertEquals(1, blocks.freeBlocks(), "closing the channel gave the buffer back");
    }

    @Test
    void handshakeRoundTripsAndAdvertisesDhtAndExtensions() {
        InfoHash ih = InfoHash.of(HEX.parseHex("0123456789abcdef0123456789abcdef01234567"));
        byte[] id = Handshake.newPeerId(new SecureRandom());
        assertEquals("-KD0100-", new String(id, 0, 8));
        ByteBuf buf = Unpooled.buffer();
        try {
            Handshake.of(ih, id).encode(buf);
            assertEquals(68, buf.readableBytes());
            assertEquals("13426974546f7272656e742070726f746f636f6c" // \x13 "BitTorrent protocol"
                    + "0000000000100005",                         // reserved: BEP 10 + BEP 6 (0x04) + BEP 5 (0x01)
                    ByteBufUtil.hexDump(buf, 0, 28));
            Handshake back = Handshake.decode(buf);
            assertEquals(ih, back.infoHash());
            assertArrayEquals(id, back.peerId());
            assertTrue(back.supportsDht() && back.supportsExtensionProtocol() && back.supportsFast());
        } finally {
            buf.release();
        }
    }

    private static PeerMessage decodeHex(String hex) {
        ByteBuf frame = Unpooled.wrappedBuffer(HEX.parseHex(hex));
        try {
            return PeerWireCodec.decode(frame);
        } finally {
            frame.release();
        }
    }
}
