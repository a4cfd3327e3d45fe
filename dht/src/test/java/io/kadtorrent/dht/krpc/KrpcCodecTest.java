package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.items.ImmutableItem;
import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.dht.rpc.TransactionId;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KrpcCodecTest {

    private static final String ID = "abcdefghij0123456789";
    private static final String HASH = "mnopqrstuvwxyz123456";

    private static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }

    @Test
    void decodesBep5PingExample() throws Exception {
        // BEP 5 example: {"t":"aa", "y":"q", "q":"ping", "a":{"id":"abcdefghij0123456789"}}
        KrpcMessage m = KrpcCodec.decode(bytes("d1:ad2:id20:" + ID + "e1:q4:ping1:t2:aa1:y1:qe"));
        KrpcQuery.Ping ping = assertInstanceOf(KrpcQuery.Ping.class, m);
        assertEquals(NodeId.of(bytes(ID)), ping.sender());
        assertArrayEquals(bytes("aa"), ping.transactionId().bytes());
        assertFalse(ping.readOnly());
    }

    @Test
    void decodesAnnouncePeerWithImpliedPortAndIgnoresUnknownKeys() throws Exception {
        // BEP 5 announce_peer example plus an unknown key "zz" and a foreign "v"
        String wire = "d1:ad2:id20:" + ID + "12:implied_porti1e9:info_hash20:" + HASH
                + "4:porti6881e5:token8:aoeusnth2:zzi7ee1:q13:announce_peer1:t2:aa1:v4:LT011:y1:qe";
        KrpcQuery.AnnouncePeer a = assertInstanceOf(KrpcQuery.AnnouncePeer.class, KrpcCodec.decode(bytes(wire)));
        assertTrue(a.impliedPort());
        assertEquals(6881, a.port());
        assertEquals(InfoHash.of(bytes(HASH)), a.infoHash());
        assertEquals(new Token(bytes("aoeusnth")), a.token());
    }

    @Test
    void everyQueryKeepsBep43ReadOnlyFlagThroughEncodeAndDecode() throws Exception {
        TransactionId t = TransactionId.of(5);
        NodeId id = NodeId.of(bytes(ID));
        InfoHash hash = InfoHash.of(bytes(HASH));
        Token token = new Token(bytes("tok"));
        List<KrpcQuery> queries = List.of(new KrpcQuery.Ping(t, id, false), new KrpcQuery.FindNode(t, id, false, id),
                new KrpcQuery.GetPeers(t, id, false, hash), new KrpcQuery.AnnouncePeer(t, id, false, hash, 6881, false, token),
                new KrpcQuery.Get(t, id, false, id, OptionalLong.empty()),
                new KrpcQuery.Put(t, id, false, token, new ImmutableItem(ItemValue.of(bytes("2:hi"))), OptionalLong.empty()),
                new KrpcQuery.SampleInfohashes(t, id, false, id));
        for (KrpcQuery q : queries) {
            KrpcQuery ro = q.asReadOnly();
            assertTrue(ro.readOnly(), q.method());
            String wire = new String(KrpcCodec.encode(ro), ISO_8859_1);
            assertTrue(wire.contains("2:roi1e"), wire);
            assertEquals(ro, KrpcCodec.decode(KrpcCodec.encode(ro)), q.method());
            assertFalse(new String(KrpcCodec.encode(q), ISO_8859_1).contains("2:ro"), q.method());
        }
    }

    @Test
    void readsBep43ReadOnlyFlag() throws Exception {
        KrpcQuery q = (KrpcQuery) KrpcCodec.decode(bytes("d1:ad2:id20:" + ID + "6:target20:" + HASH
                + "e1:q9:find_node2:roi1e1:t2:aa1:y1:qe"));
        assertTrue(q.readOnly());
        assertInstanceOf(KrpcQuery.FindNode.class, q);
    }

    @Test
    void decodesGetPeersResponseWithValuesNodesAndToken() throws Exception {
        byte[] node = new byte[26];
        node[20] = 127;
        node[23] = 1;
        node[24] = 0x1a;
        node[25] = (byte) 0xe1;
        byte[] peer = {10, 0, 0, 2, 0x1a, (byte) 0xe1};
        byte[] wire = concat(bytes("d1:rd2:id20:" + ID + "5:nodes26:"), node,
                bytes("5:token4:abcd6:valuesl6:"), peer, bytes("ee1:t2:aa1:y1:re"));
        KrpcResponse r = assertInstanceOf(KrpcResponse.class, KrpcCodec.decode(wire));
        assertEquals(List.of(new InetSocketAddress("10.0.0.2", 6881)), r.values());
        assertEquals(new InetSocketAddress("127.0.0.1", 6881), r.nodes().get(0).address());
        assertEquals(Optional.of(new Token(bytes("abcd"))), r.token());
    }

    @Test
    void decodesErrorReply() throws Exception {
        KrpcError e = assertInstanceOf(KrpcError.class, KrpcCodec.decode(bytes("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee")));
        assertEquals(201, e.code());
        assertEquals("A Generic Error Ocurred", e.message());
    }

    @Test
    void unknownMethodIsError204WithTransactionId() {
        KrpcDecodeException e = assertThrows(KrpcDecodeException.class,
                () -> KrpcCodec.decode(bytes("d1:ad2:id20:" + ID + "e1:q4:vote1:t2:xy1:y1:qe")));
        assertEquals(KrpcError.METHOD_UNKNOWN, e.code());
        assertEquals(Optional.of(new TransactionId(bytes("xy"))), e.transactionId());
        assertTrue(e.wasQuery());
    }

    @Test
    void malformedInputIsProtocolError() {
        for (String bad : List.of("", "garbage", "d1:t2:aae", "d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe",
                "d1:rd2:id20:" + ID + "5:nodes5:abcdee1:t2:aa1:y1:re", "li1ee")) {
            KrpcDecodeException e = assertThrows(KrpcDecodeException.class, () -> KrpcCodec.decode(bytes(bad)), bad);
            assertEquals(KrpcError.PROTOCOL, e.code(), bad);
        }
    }

    @Test
    void encodesQueriesWithVersionAndSortedKeys() throws Exception {
        NodeId id = NodeId.of(bytes(ID));
        byte[] wire = KrpcCodec.encode(new KrpcQuery.Ping(new TransactionId(bytes("aa")), id, true));
        assertEquals("d1:ad2:id20:" + ID + "e1:q4:ping2:roi1e1:t2:aa1:v4:KT\0\u00011:y1:qe", new String(wire, ISO_8859_1));
        assertEquals(new KrpcQuery.Ping(new TransactionId(bytes("aa")), id, true), KrpcCodec.decode(wire));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
