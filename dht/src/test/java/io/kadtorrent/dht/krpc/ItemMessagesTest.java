package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.items.ImmutableItem;
import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.dht.rpc.TransactionId;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BEP 44 get and put and BEP 51 sample_infohashes on the wire. */
class ItemMessagesTest {

    private static final String ID = "abcdefghij0123456789";

    private static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }

    @Test
    void keepsAPutValueVerbatimEvenWhenItIsNotCanonicalBencode() throws Exception {
        // v is a dict with its keys out of order: re-encoding would sort them and change the hash.
        String v = "d1:bi1e1:ai2ee";
        byte[] wire = bytes("d1:ad2:id20:" + ID + "5:token4:aoeu1:v" + v + "e1:q3:put1:t2:aa1:y1:qe");
        KrpcQuery.Put put = assertInstanceOf(KrpcQuery.Put.class, KrpcCodec.decode(wire));
        ImmutableItem item = assertInstanceOf(ImmutableItem.class, put.item());
        assertArrayEquals(bytes(v), item.value().bytes());
        assertEquals(put, KrpcCodec.decode(KrpcCodec.encode(put)));
        assertTrue(new String(KrpcCodec.encode(put), ISO_8859_1).contains("1:v" + v));
    }

    @Test
    void roundTripsAMutablePutAndAGetReplyWithItsItem() throws Exception {
        byte[] privateKey = new byte[32];
        new SplittableRandom(3).nextBytes(privateKey);
        MutableItem item = MutableItem.sign(privateKey, bytes("salt"), 7, ItemValue.of(bytes("li1ei2ee")));
        KrpcQuery.Put put = new KrpcQuery.Put(TransactionId.of(1), NodeId.of(bytes(ID)), false,
                new Token(bytes("tok")), item, OptionalLong.of(6));
        KrpcQuery.Put decoded = (KrpcQuery.Put) KrpcCodec.decode(KrpcCodec.encode(put));
        assertEquals(put, decoded);
        assertTrue(((MutableItem) decoded.item()).isSignatureValid());
        KrpcResponse reply = new KrpcResponse(TransactionId.of(2), NodeId.of(bytes(ID)), List.of(), List.of(),
                Optional.of(new Token(bytes("tok"))), Optional.of(ItemReply.mutable(item)), Optional.empty());
        KrpcResponse back = (KrpcResponse) KrpcCodec.decode(KrpcCodec.encode(reply));
        assertEquals(reply, back);
        assertEquals(Optional.of(item), back.item().orElseThrow().asMutable(item.target(), bytes("salt")));
        assertEquals(Optional.empty(), back.item().orElseThrow().asMutable(item.target(), bytes("other salt")));
        KrpcQuery.Get get = new KrpcQuery.Get(TransactionId.of(3), NodeId.of(bytes(ID)), false, item.target(), OptionalLong.of(7));
        assertEquals(get, KrpcCodec.decode(KrpcCodec.encode(get)));
    }

    @Test
    void aPutWithAShortKeyOrSignatureIsAProtocolError() {
        byte[] wire = bytes("d1:ad2:id20:" + ID + "1:k3:abc3:seqi1e3:sig3:xyz5:token4:aoeu1:vi1ee1:q3:put1:t2:aa1:y1:qe");
        KrpcDecodeException e = assertThrows(KrpcDecodeException.class, () -> KrpcCodec.decode(wire));
        assertEquals(KrpcError.PROTOCOL, e.code());
        assertTrue(e.wasQuery());
    }

    @Test
    void roundTripsSampleInfohashes() throws Exception {
        KrpcQuery.SampleInfohashes q = new KrpcQuery.SampleInfohashes(TransactionId.of(4), NodeId.of(bytes(ID)), false,
                NodeId.of(bytes(ID)));
        assertEquals(q, KrpcCodec.decode(KrpcCodec.encode(q)));
        KrpcResponse r = new KrpcResponse(TransactionId.of(4), NodeId.of(bytes(ID)), List.of(), List.of(), Optional.empty(),
                Optional.empty(), Optional.of(new Samples(300, 2, List.of(InfoHash.of(bytes(ID)), InfoHash.of(new byte[20])))));
        assertEquals(r, KrpcCodec.decode(KrpcCodec.encode(r)));
    }

    @Test
    void repliesCarryTheRequestersAddressForBep42AndDecodeAsBefore() throws Exception {
        KrpcResponse r = KrpcResponse.ofId(TransactionId.of(5), NodeId.of(bytes(ID)));
        byte[] wire = KrpcCodec.encodeReply(r, new java.net.InetSocketAddress("203.0.113.7", 0x1ae1));
        assertTrue(new String(wire, ISO_8859_1).startsWith("d2:ip6:" + new String(new byte[]{(byte) 203, 0, 113, 7, 0x1a,
                (byte) 0xe1}, ISO_8859_1)));
        assertEquals(r, KrpcCodec.decode(wire));
    }
}
