package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.items.ImmutableItem;
import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.dht.krpc.KrpcCodec;
import io.kadtorrent.dht.krpc.KrpcMessage;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.krpc.Token;
import io.kadtorrent.dht.peers.PeerStore;
import io.kadtorrent.dht.rpc.TransactionId;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reflection and amplification: the smallest valid query of every type we answer, sent to a node whose
 * stores are as full as they get (full K-bucket near every target, the most values per get_peers, a
 * 1000-byte item, a full sample), and the size of our answer over the size of the query. A regression that
 * makes an answer grow (more nodes, more values, an unbounded sample) fails here.
 */
class AmplificationTest {

    /**
     * Bound per query type. The reference is libtorrent 2.0.8 given the same fill and the same queries over
     * UDP (bench/dht/amplification.sh): ping 1.40, find_node 3.25, get_peers 3.29 / 8.50 with values,
     * announce_peer 0.64, get 3.64 / 15.44 with a 1000-byte item, put 1.05, sample_infohashes 7.35. Only a
     * get for a stored item goes past 10x, there as in libtorrent: BEP 44 lets a 1000-byte value be fetched
     * by its 20-byte target, and the per-IP query limit is what caps the reflected rate.
     */
    static final Map<String, Double> BOUND = Map.of(
            "ping", 2.0,
            "find_node", 4.0,
            "get_peers (no peers held)", 4.0,
            "get_peers (peers held)", 10.0,
            "announce_peer", 2.0,
            "get (item absent)", 4.0,
            "get (1000-byte item present)", 20.0,
            "put", 1.0,
            "sample_infohashes", 10.0);

    private final List<byte[]> sent = new ArrayList<>();
    private final List<InetSocketAddress> sentTo = new ArrayList<>();
    private final long now = 1_000;
    private final DhtEngine engine = new DhtEngine(NodeId.random(new SplittableRandom(1)),
            (to, bytes) -> {
                sentTo.add(to);
                sent.add(bytes);
            }, new SplittableRandom(2), now);
    private final SplittableRandom random = new SplittableRandom(3);
    private final InetSocketAddress attacker = new InetSocketAddress("10.9.9.9", 4000);
    private final InfoHash held = InfoHash.of(NodeId.random(random).bytes());
    private final ImmutableItem item = new ImmutableItem(ItemValue.of(bencodedString(ItemValue.MAX_BYTES)));
    private int ip = 1;

    @Test
    void everyAnswerStaysWithinItsBoundOverTheSmallestQuery() {
        fillStores();
        Token token = tokenFor(attacker);
        Map<String, byte[]> queries = new LinkedHashMap<>();
        byte[] id = NodeId.random(random).bytes();
        byte[] other = NodeId.random(random).bytes();
        queries.put("ping", query("ping", id));
        queries.put("find_node", query("find_node", id, "6:target", other));
        queries.put("get_peers (no peers held)", query("get_peers", id, "9:info_hash", other));
        queries.put("get_peers (peers held)", query("get_peers", id, "9:info_hash", held.bytes()));
        queries.put("announce_peer", query("announce_peer", id, "9:info_hash", other, "4:porti1e",
                "5:token", token.bytes()));
        queries.put("get (item absent)", query("get", id, "6:target", other));
        queries.put("get (1000-byte item present)", query("get", id, "6:target", item.target().bytes()));
        queries.put("put", query("put", id, "5:token", token.bytes(), "1:v", "i1e".getBytes(ISO_8859_1)));
        queries.put("sample_infohashes", query("sample_infohashes", id, "6:target", other));

        StringBuilder table = new StringBuilder("| query | bytes in | bytes out | factor |\n|---|---:|---:|---:|\n");
        for (Map.Entry<String, byte[]> e : queries.entrySet()) {
            sent.clear();
            engine.onDatagram(now, attacker, e.getValue());
            assertEquals(1, sent.size(), e.getKey() + ": one answer");
            KrpcMessage answer = decode(sent.get(0));
            assertTrue(answer instanceof KrpcResponse, e.getKey() + " answered " + answer);
            int in = e.getValue().length;
            int out = sent.get(0).length;
            double factor = (double) out / in;
            table.append(String.format("| %s | %d | %d | %.2f |%n", e.getKey(), in, out, factor));
            assertTrue(factor <= BOUND.get(e.getKey()), e.getKey() + ": " + out + " bytes out for " + in + " in");
        }
        System.out.print(table);
    }

    private void fillStores() {
        for (int i = 0; i < 400; i++) { // many contacts: every target has a full bucket of K near it
            KrpcQuery q = new KrpcQuery.Ping(TransactionId.of(i), NodeId.random(random), false);
            engine.onDatagram(now, nextAddress(), KrpcCodec.encode(q));
        }
        for (int i = 0; i < PeerStore.MAX_VALUES_PER_REPLY + 10; i++) { // most values get_peers ever returns
            announce(held, nextAddress());
        }
        for (int i = 0; i < 40; i++) { // more torrents than one sample holds
            announce(InfoHash.of(NodeId.random(random).bytes()), nextAddress());
        }
        InetSocketAddress writer = nextAddress();
        engine.onDatagram(now, writer, KrpcCodec.encode(new KrpcQuery.Put(TransactionId.of(1), NodeId.random(random),
                false, tokenFor(writer), item, OptionalLong.empty())));
        assertTrue(decode(sent.get(sent.size() - 1)) instanceof KrpcResponse, "item stored");
    }

    private void announce(InfoHash hash, InetSocketAddress from) {
        KrpcQuery q = new KrpcQuery.AnnouncePeer(TransactionId.of(2), NodeId.random(random), false, hash, 6881, false,
                tokenFor(from));
        engine.onDatagram(now, from, KrpcCodec.encode(q));
        assertTrue(decode(sent.get(sent.size() - 1)) instanceof KrpcResponse, "announce stored");
    }

    private Token tokenFor(InetSocketAddress from) {
        sent.clear();
        engine.onDatagram(now, from, KrpcCodec.encode(
                new KrpcQuery.GetPeers(TransactionId.of(0), NodeId.random(random), false, held)));
        return ((KrpcResponse) decode(sent.get(0))).token().orElseThrow();
    }

    private InetSocketAddress nextAddress() {
        int n = ip++;
        return new InetSocketAddress("10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255), 6881);
    }

    /** {@code d1:ad2:id20:…<args>e1:q<method>1:t1:x1:y1:qe}: one-byte transaction id, nothing optional. */
    private static byte[] query(String method, byte[] id, Object... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("d1:ad2:id20:".getBytes(ISO_8859_1));
        b.writeBytes(id);
        for (Object a : args) {
            if (a instanceof String s) {
                b.writeBytes(s.getBytes(ISO_8859_1));
            } else {
                byte[] bytes = (byte[]) a;
                b.writeBytes((bytes.length + ":").getBytes(ISO_8859_1));
                b.writeBytes(bytes);
            }
        }
        b.writeBytes(("e1:q" + method.length() + ":" + method + "1:t1:x1:y1:qe").getBytes(ISO_8859_1));
        return b.toByteArray();
    }

    private static byte[] bencodedString(int totalLength) {
        String prefix = (totalLength - 4) + ":";
        return (prefix + "x".repeat(totalLength - prefix.length())).getBytes(ISO_8859_1);
    }

    private static KrpcMessage decode(byte[] b) {
        try {
            return KrpcCodec.decode(b);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
