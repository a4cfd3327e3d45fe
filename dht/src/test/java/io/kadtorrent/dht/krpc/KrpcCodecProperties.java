package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.items.ImmutableItem;
import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.dht.rpc.TransactionId;
import io.kadtorrent.torrent.metainfo.InfoHash;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KrpcCodecProperties {

    @Property(tries = 300)
    void decodeOfEncodeIsIdentity(@ForAll("messages") KrpcMessage m) throws Exception {
        assertEquals(m, KrpcCodec.decode(KrpcCodec.encode(m)));
    }

    @Property(tries = 500)
    void mutatedDatagramsNeverThrowAnythingButDecodeException(@ForAll("messages") KrpcMessage m,
                                                               @ForAll int position, @ForAll byte value,
                                                               @ForAll boolean truncate) {
        byte[] wire = KrpcCodec.encode(m);
        int at = Math.floorMod(position, wire.length);
        byte[] mutated = truncate ? Arrays.copyOf(wire, at) : wire.clone();
        if (!truncate) {
            mutated[at] = value;
        }
        try {
            KrpcCodec.decode(mutated);
        } catch (KrpcDecodeException expected) {
            // dropped and counted by the engine
        }
    }

    @Provide
    Arbitrary<KrpcMessage> messages() {
        Arbitrary<TransactionId> tid = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(4).map(TransactionId::new);
        Arbitrary<NodeId> id = bytes20().map(NodeId::of);
        Arbitrary<InfoHash> hash = bytes20().map(InfoHash::of);
        Arbitrary<Boolean> ro = Arbitraries.of(true, false);
        // unicast IPv4 only: contacts that cannot be queried (0.0.0.0, multicast, 240/4) are dropped on decode
        Arbitrary<byte[]> unicast = Arbitraries.bytes().array(byte[].class).ofSize(4).map(ip -> {
            ip[0] = (byte) (1 + Math.floorMod(ip[0], 223));
            return ip;
        });
        Arbitrary<InetSocketAddress> addr4 = Combinators.combine(unicast,
                Arbitraries.integers().between(1, 65_535)).as(KrpcCodecProperties::address);
        // unicast IPv6 (BEP 32): a first byte of 0x20..0xfe is never multicast, :: or IPv4-mapped
        Arbitrary<byte[]> unicast6 = Arbitraries.bytes().array(byte[].class).ofSize(16).map(ip -> {
            ip[0] = (byte) (0x20 + Math.floorMod(ip[0], 0xdf));
            return ip;
        });
        Arbitrary<InetSocketAddress> addr6 = Combinators.combine(unicast6,
                Arbitraries.integers().between(1, 65_535)).as(KrpcCodecProperties::address);
        Arbitrary<InetSocketAddress> addr = Arbitraries.oneOf(addr4, addr6);
        Arbitrary<Set<AddressFamily>> want = Arbitraries.of(AddressFamily.class).set();
        Arbitrary<Token> token = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(20).map(Token::new);
        Arbitrary<KrpcMessage> ping = Combinators.combine(tid, id, ro).as(KrpcQuery.Ping::new);
        Arbitrary<KrpcMessage> find = Combinators.combine(tid, id, ro, id, want).as(KrpcQuery.FindNode::new);
        Arbitrary<KrpcMessage> get = Combinators.combine(tid, id, ro, hash, want).as(KrpcQuery.GetPeers::new);
        Arbitrary<KrpcMessage> announce = Combinators.combine(tid, id, ro, hash, Arbitraries.integers().between(1, 65_535),
                Arbitraries.of(true, false), token).as(KrpcQuery.AnnouncePeer::new);
        // nodes decode IPv4 (nodes) first, then IPv6 (nodes6)
        Arbitrary<List<CompactNodeInfo>> nodes = Combinators.combine(
                Combinators.combine(id, addr4).as(CompactNodeInfo::new).list().ofMaxSize(8),
                Combinators.combine(id, addr6).as(CompactNodeInfo::new).list().ofMaxSize(8))
                .as((v4, v6) -> Stream.concat(v4.stream(), v6.stream()).toList());
        Arbitrary<KrpcMessage> response = Combinators.combine(tid, id, nodes,
                addr.list().ofMaxSize(10), token.optional()).as(KrpcResponse::new);
        Arbitrary<KrpcMessage> error = Combinators.combine(tid, Arbitraries.of(201, 202, 203, 204),
                Arbitraries.strings().alpha().numeric().withChars(" é€").ofMaxLength(30)).as(KrpcError::new);
        Arbitrary<ItemValue> value = Arbitraries.strings().ascii().ofMaxLength(40)
                .map(v -> ItemValue.of((v.length() + ":" + v).getBytes(ISO_8859_1)));
        Arbitrary<OptionalLong> seq = Arbitraries.longs().between(0, Long.MAX_VALUE).optional()
                .map(o -> o.map(OptionalLong::of).orElse(OptionalLong.empty()));
        Arbitrary<KrpcMessage> getItem = Combinators.combine(tid, id, ro, id, seq).as(KrpcQuery.Get::new);
        Arbitrary<KrpcMessage> putImmutable = Combinators.combine(tid, id, ro, token, value)
                .as((t, i, r, k, v) -> new KrpcQuery.Put(t, i, r, k, new ImmutableItem(v), OptionalLong.empty()));
        Arbitrary<MutableItem> mutable = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(32),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64), Arbitraries.longs().between(0, Long.MAX_VALUE),
                value, Arbitraries.bytes().array(byte[].class).ofSize(64)).as(MutableItem::new);
        Arbitrary<KrpcMessage> putMutable = Combinators.combine(tid, id, ro, token, mutable, seq).as(KrpcQuery.Put::new);
        Arbitrary<KrpcMessage> sample = Combinators.combine(tid, id, ro, id).as(KrpcQuery.SampleInfohashes::new);
        return Arbitraries.oneOf(ping, find, get, announce, response, error, getItem, putImmutable, putMutable, sample);
    }

    private static Arbitrary<byte[]> bytes20() {
        return Arbitraries.bytes().array(byte[].class).ofSize(20);
    }

    private static InetSocketAddress address(byte[] ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
