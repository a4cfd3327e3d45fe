package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.rpc.TransactionId;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeDict;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** BEP 32 on the wire: nodes6, 18-byte values and the want argument. */
class Bep32CodecTest {

    private static final TransactionId TID = new TransactionId(new byte[]{'a', 'a'});
    private static final NodeId A = NodeId.of(filled(0x11));
    private static final NodeId B = NodeId.of(filled(0x22));

    private static byte[] filled(int b) {
        byte[] out = new byte[20];
        Arrays.fill(out, (byte) b);
        return out;
    }

    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    private static BencodeDict body(byte[] datagram, String key) throws Exception {
        return BencodeCodec.decodeDictionary(datagram, BencodeLimits.DATAGRAM).dict().dict(key);
    }

    @Test
    void compactIpv6NodeInfoIsIdAddressAndPortIn38Bytes() throws Exception {
        byte[] packed = CompactNodeInfo.encodeAll(List.of(new CompactNodeInfo(A, at("2001:db8::1", 0x1ae1))),
                AddressFamily.IPV6);
        assertEquals(38, packed.length);
        assertEquals("11".repeat(20)                  // node id
                        + "20010db8000000000000000000000001" // IPv6 address
                        + "1ae1",                        // port, big-endian
                HexFormat.of().formatHex(packed));
    }

    @Test
    void aReplyCarriesIpv4NodesInNodesAndIpv6NodesInNodes6() throws Exception {
        KrpcResponse reply = new KrpcResponse(TID, A,
                List.of(new CompactNodeInfo(B, at("10.0.0.2", 6881)), new CompactNodeInfo(A, at("2001:db8::2", 6882))),
                List.of(), Optional.empty());
        byte[] wire = KrpcCodec.encode(reply);
        BencodeDict r = body(wire, "r");
        assertEquals(26, r.bytes("nodes").length);
        assertEquals(38, r.bytes("nodes6").length);
        assertEquals(reply, KrpcCodec.decode(wire));
    }

    @Test
    void ipv6PeersTravelAs18ByteValues() throws Exception {
        KrpcResponse reply = new KrpcResponse(TID, A, List.of(),
                List.of(at("::1", 40_000), at("127.0.0.1", 40_001)), Optional.of(new Token(new byte[]{1, 2})));
        byte[] wire = KrpcCodec.encode(reply);
        List<Object> values = body(wire, "r").list("values");
        assertEquals(18, ((byte[]) values.get(0)).length);
        assertEquals(6, ((byte[]) values.get(1)).length);
        assertEquals(reply, KrpcCodec.decode(wire));
    }

    @Test
    void wantIsAListOfN4AndN6() throws Exception {
        KrpcQuery.FindNode find = new KrpcQuery.FindNode(TID, A, false, B, Set.of(AddressFamily.IPV6, AddressFamily.IPV4));
        byte[] wire = KrpcCodec.encode(find);
        List<Object> want = body(wire, "a").list("want");
        assertEquals(List.of("n4", "n6"), want.stream().map(w -> new String((byte[]) w, US_ASCII)).toList());
        assertEquals(find, KrpcCodec.decode(wire));
        KrpcQuery.GetPeers get = new KrpcQuery.GetPeers(TID, A, false, InfoHash.of(filled(3)), Set.of(AddressFamily.IPV6));
        assertEquals(get, KrpcCodec.decode(KrpcCodec.encode(get)));
    }

    @Test
    void noWantIsLeftOutAndUnknownWantNamesAreIgnored() throws Exception {
        byte[] plain = KrpcCodec.encode(new KrpcQuery.FindNode(TID, A, false, B));
        assertEquals(false, body(plain, "a").has("want"));
        byte[] foreign = BencodeCodec.encode(Map.of("t", "aa", "y", "q", "q", "find_node",
                "a", Map.of("id", A.bytes(), "target", B.bytes(), "want", List.of("n6", "n9", "ipv8", 7))));
        KrpcQuery.FindNode decoded = assertInstanceOf(KrpcQuery.FindNode.class, KrpcCodec.decode(foreign));
        assertEquals(Set.of(AddressFamily.IPV6), decoded.want());
    }

    @Test
    void nodes6OfAWrongLengthIsAProtocolError() {
        byte[] wire = BencodeCodec.encode(Map.of("t", "aa", "y", "r",
                "r", Map.of("id", A.bytes(), "nodes6", new byte[38 * 2 + 26])));
        KrpcDecodeException e = assertThrows(KrpcDecodeException.class, () -> KrpcCodec.decode(wire));
        assertEquals(KrpcError.PROTOCOL, e.code());
    }

    @Test
    void nodes6EntriesThatAreIpv4MappedOrUnqueryableAreSkipped() throws Exception {
        ByteArrayOutputStream nodes6 = new ByteArrayOutputStream();
        nodes6.writeBytes(A.bytes());
        nodes6.writeBytes(HexFormat.of().parseHex("00000000000000000000ffff0a000001")); // ::ffff:10.0.0.1
        nodes6.writeBytes(new byte[]{0x1a, (byte) 0xe1});
        nodes6.writeBytes(B.bytes());
        nodes6.writeBytes(HexFormat.of().parseHex("ff020000000000000000000000000001")); // multicast
        nodes6.writeBytes(new byte[]{0x1a, (byte) 0xe1});
        nodes6.writeBytes(B.bytes());
        nodes6.writeBytes(InetAddress.getByName("::1").getAddress());                   // kept
        nodes6.writeBytes(new byte[]{0x1a, (byte) 0xe1});
        List<CompactNodeInfo> kept = CompactNodeInfo.decodeAll(nodes6.toByteArray(), AddressFamily.IPV6);
        assertEquals(List.of(new CompactNodeInfo(B, at("::1", 6881))), kept);
    }

    @Test
    void aReplyToAnIpv6RequesterCarriesItsEighteenByteAddressAsIp() throws Exception {
        byte[] wire = KrpcCodec.encodeReply(KrpcResponse.ofId(TID, A), at("2001:db8::7", 6881));
        byte[] ip = BencodeCodec.decodeDictionary(wire, BencodeLimits.DATAGRAM).dict().bytes("ip");
        assertArrayEquals(CompactPeer.encode(at("2001:db8::7", 6881)), ip);
        assertEquals(18, ip.length);
    }
}
