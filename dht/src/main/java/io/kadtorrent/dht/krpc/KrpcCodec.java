package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.items.DhtItem;
import io.kadtorrent.dht.items.ImmutableItem;
import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.dht.rpc.TransactionId;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeDict;
import io.kadtorrent.torrent.bencode.BencodeFieldException;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.bencode.InvalidBencodeException;
import io.kadtorrent.torrent.bencode.RawBencode;
import io.kadtorrent.torrent.bencode.Span;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Encodes and decodes KRPC messages (BEP 5, 32, 44, 51) through {@link BencodeCodec} with datagram limits.
 * A BEP 44 {@code v} travels verbatim both ways: its hash and signature are over its exact bytes.
 * Every message we send carries {@code v} (client version, BEP 5); keys we do not know are
 * ignored, as BEP 5 asks, and so is the {@code v} of others. Stateless and thread-safe.
 */
public final class KrpcCodec {

    /** Our {@code v}: two letters of client id and two bytes of version (BEP 5 convention). */
    public static final byte[] VERSION = {'K', 'T', 0, 1};

    private KrpcCodec() {
    }

    public static byte[] encode(KrpcMessage message) {
        return encode(message, Optional.empty());
    }

    /**
     * Encodes a reply to {@code requester}: BEP 42 asks every response (and error) to carry the
     * requester's compact address and port (6 bytes, or 18 over IPv6) as a top-level {@code ip}, so
     * nodes learn their external address and can pick a node id valid for it. Queries never carry it.
     */
    public static byte[] encodeReply(KrpcMessage reply, InetSocketAddress requester) {
        return encode(reply, CompactPeer.isEncodable(requester) && !(reply instanceof KrpcQuery)
                ? Optional.of(requester) : Optional.empty());
    }

    private static byte[] encode(KrpcMessage message, Optional<InetSocketAddress> requester) {
        return KrpcWriter.handles(message) ? KrpcWriter.write(message, requester) : encodeGeneric(message, requester);
    }

    /** Through the bencode library: every message; {@link KrpcWriter} must produce the same bytes for those it handles. */
    static byte[] encodeGeneric(KrpcMessage message, Optional<InetSocketAddress> requester) {
        Map<String, Object> top = new HashMap<>();
        requester.ifPresent(r -> top.put("ip", CompactPeer.encode(r)));
        top.put("t", message.transactionId().bytes());
        top.put("v", VERSION);
        if (message instanceof KrpcQuery q) {
            top.put("y", "q");
            top.put("q", q.method());
            top.put("a", RawBencode.of(BencodeCodec.encode(arguments(q))));
            if (q.readOnly()) {
                top.put("ro", 1); // BEP 43: top-level key
            }
        } else if (message instanceof KrpcResponse r) {
            top.put("y", "r");
            top.put("r", RawBencode.of(BencodeCodec.encode(responseBody(r))));
        } else if (message instanceof KrpcError e) {
            top.put("y", "e");
            top.put("e", List.of(e.code(), e.message()));
        }
        return BencodeCodec.encode(top);
    }

    private static Map<String, Object> arguments(KrpcQuery q) {
        Map<String, Object> a = new HashMap<>();
        a.put("id", q.sender().bytes());
        if (q instanceof KrpcQuery.FindNode f) {
            a.put("target", f.target().bytes());
            putWant(f.want(), a);
        } else if (q instanceof KrpcQuery.GetPeers g) {
            a.put("info_hash", g.infoHash().bytes());
            putWant(g.want(), a);
        } else if (q instanceof KrpcQuery.AnnouncePeer ap) {
            a.put("info_hash", ap.infoHash().bytes());
            a.put("port", ap.port());
            a.put("token", ap.token().bytes());
            if (ap.impliedPort()) {
                a.put("implied_port", 1);
            }
        } else if (q instanceof KrpcQuery.Get g) {
            a.put("target", g.target().bytes());
            g.seq().ifPresent(seq -> a.put("seq", seq));
        } else if (q instanceof KrpcQuery.Put p) {
            putArguments(p, a);
        } else if (q instanceof KrpcQuery.SampleInfohashes si) {
            a.put("target", si.target().bytes());
        }
        return a;
    }

    /** BEP 32: {@code want} is a list of {@code n4} and {@code n6}; left out when empty. */
    private static void putWant(Set<AddressFamily> want, Map<String, Object> a) {
        if (!want.isEmpty()) {
            a.put("want", Arrays.stream(AddressFamily.values()).filter(want::contains).map(AddressFamily::wantName).toList());
        }
    }

    private static void putArguments(KrpcQuery.Put p, Map<String, Object> a) {
        a.put("token", p.token().bytes());
        a.put("v", RawBencode.of(p.item().value().bytes()));
        if (p.item() instanceof MutableItem m) {
            a.put("k", m.key());
            a.put("seq", m.seq());
            a.put("sig", m.signature());
            if (m.salt().length > 0) {
                a.put("salt", m.salt());
            }
            p.cas().ifPresent(cas -> a.put("cas", cas));
        }
    }

    private static Map<String, Object> responseBody(KrpcResponse r) {
        Map<String, Object> body = new HashMap<>();
        body.put("id", r.sender().bytes());
        for (AddressFamily family : AddressFamily.values()) { // BEP 32: IPv4 in nodes, IPv6 in nodes6
            byte[] packed = CompactNodeInfo.encodeAll(r.nodes(), family);
            if (packed.length > 0) {
                body.put(family.nodesKey(), packed);
            }
        }
        if (!r.values().isEmpty()) {
            body.put("values", r.values().stream().filter(CompactPeer::isEncodable).map(CompactPeer::encode).toList());
        }
        r.token().ifPresent(t -> body.put("token", t.bytes()));
        r.item().ifPresent(item -> {
            item.value().ifPresent(v -> body.put("v", RawBencode.of(v.bytes())));
            item.seq().ifPresent(seq -> body.put("seq", seq));
            item.key().ifPresent(k -> body.put("k", k));
            item.signature().ifPresent(sig -> body.put("sig", sig));
        });
        r.samples().ifPresent(samples -> {
            byte[] packed = new byte[samples.samples().size() * InfoHash.LENGTH];
            for (int i = 0; i < samples.samples().size(); i++) {
                System.arraycopy(samples.samples().get(i).bytes(), 0, packed, i * InfoHash.LENGTH, InfoHash.LENGTH);
            }
            body.put("samples", packed);
            body.put("interval", samples.intervalSeconds());
            body.put("num", samples.num());
        });
        return body;
    }

    /** Decodes one datagram; anything malformed becomes a {@link KrpcDecodeException} with its BEP 5 code. */
    public static KrpcMessage decode(byte[] datagram) throws KrpcDecodeException {
        return decode(datagram, KnownNodes.NONE);
    }

    /** Like {@link #decode(byte[])}, taking IPv4 nodes that {@code known} shares from it rather than new ones. */
    public static KrpcMessage decode(byte[] datagram, KnownNodes known) throws KrpcDecodeException {
        KrpcMessage common = KrpcReader.read(datagram, known);
        return common != null ? common : decodeGeneric(datagram);
    }

    /** Through the bencode library: every datagram; what {@link KrpcReader} reads must decode equal here. */
    static KrpcMessage decodeGeneric(byte[] datagram) throws KrpcDecodeException {
        BencodeDict top;
        Map<String, Span> spans;
        try {
            BencodeCodec.Decoded decoded = BencodeCodec.decodeDictionary(datagram, BencodeLimits.DATAGRAM);
            top = decoded.dict();
            spans = decoded.spans();
        } catch (InvalidBencodeException e) {
            throw new KrpcDecodeException(KrpcError.PROTOCOL, "not a bencoded dictionary: " + e.getMessage(), Optional.empty(), false);
        }
        TransactionId tid;
        String type;
        try {
            byte[] t = top.bytes("t");
            if (t.length > TransactionId.MAX_LENGTH) {
                throw new BencodeFieldException("t", "is longer than " + TransactionId.MAX_LENGTH + " bytes");
            }
            tid = new TransactionId(t);
            type = new String(top.bytes("y"), ISO_8859_1);
        } catch (BencodeFieldException e) {
            throw new KrpcDecodeException(KrpcError.PROTOCOL, e.getMessage(), Optional.empty(), false);
        }
        boolean query = type.equals("q");
        try {
            return switch (type) {
                case "q" -> decodeQuery(top, tid, () -> rawValue(datagram, spans.get("a")));
                case "r" -> decodeResponse(top.dict("r"), tid, () -> rawValue(datagram, spans.get("r")));
                case "e" -> decodeError(top.list("e"), tid);
                default -> throw new BencodeFieldException("y", "must be q, r or e");
            };
        } catch (BencodeFieldException | IllegalArgumentException e) {
            throw new KrpcDecodeException(KrpcError.PROTOCOL, e.getMessage(), Optional.of(tid), query);
        }
    }

    /** The verbatim {@code v} inside a top-level dictionary value, read only when a message carries one. */
    @FunctionalInterface
    private interface RawValue {
        Optional<ItemValue> read() throws BencodeFieldException;
    }

    private static Optional<ItemValue> rawValue(byte[] datagram, Span outer) throws BencodeFieldException {
        if (outer == null) {
            return Optional.empty();
        }
        byte[] inner = Arrays.copyOfRange(datagram, outer.start(), outer.end());
        try {
            Span v = BencodeCodec.decodeDictionary(inner, BencodeLimits.DATAGRAM).spans().get("v");
            return v == null ? Optional.empty() : Optional.of(ItemValue.of(Arrays.copyOfRange(inner, v.start(), v.end())));
        } catch (InvalidBencodeException e) {
            throw new BencodeFieldException("v", "unreadable: " + e.getMessage());
        }
    }

    private static KrpcQuery decodeQuery(BencodeDict top, TransactionId tid, RawValue rawV)
            throws BencodeFieldException, KrpcDecodeException {
        String method = new String(top.bytes("q"), ISO_8859_1);
        BencodeDict a = top.dict("a");
        NodeId sender = nodeId(a, "id");
        Long ro = top.integerOrNull("ro");
        boolean readOnly = ro != null && ro == 1;
        return switch (method) {
            case "ping" -> new KrpcQuery.Ping(tid, sender, readOnly);
            case "find_node" -> new KrpcQuery.FindNode(tid, sender, readOnly, nodeId(a, "target"), want(a));
            case "get_peers" -> new KrpcQuery.GetPeers(tid, sender, readOnly, infoHash(a), want(a));
            case "announce_peer" -> decodeAnnounce(a, tid, sender, readOnly);
            case "get" -> new KrpcQuery.Get(tid, sender, readOnly, nodeId(a, "target"), optionalLong(a, "seq"));
            case "put" -> new KrpcQuery.Put(tid, sender, readOnly, new Token(tokenBytes(a)),
                    decodeItem(a, rawV.read().orElseThrow(() -> new BencodeFieldException(a.field("v"), "is missing"))),
                    optionalLong(a, "cas"));
            case "sample_infohashes" -> new KrpcQuery.SampleInfohashes(tid, sender, readOnly, nodeId(a, "target"));
            default -> throw new KrpcDecodeException(KrpcError.METHOD_UNKNOWN, "unknown method " + method, Optional.of(tid), true);
        };
    }

    /** BEP 32 {@code want}: the families named in it; names we do not know are ignored. */
    private static Set<AddressFamily> want(BencodeDict a) throws BencodeFieldException {
        List<Object> names = a.listOrNull("want");
        if (names == null) {
            return Set.of();
        }
        Set<AddressFamily> want = EnumSet.noneOf(AddressFamily.class);
        for (Object name : names) {
            if (name instanceof byte[] b && b.length == 2) {
                AddressFamily.fromWant(new String(b, ISO_8859_1)).ifPresent(want::add);
            }
        }
        return want;
    }

    private static KrpcQuery decodeAnnounce(BencodeDict a, TransactionId tid, NodeId sender, boolean readOnly)
            throws BencodeFieldException {
        Long implied = a.integerOrNull("implied_port");
        boolean impliedPort = implied != null && implied != 0;
        long port = a.integer("port");
        if (port < 0 || port > 65_535 || (!impliedPort && port == 0)) {
            throw new BencodeFieldException(a.field("port"), "must be 1..65535");
        }
        return new KrpcQuery.AnnouncePeer(tid, sender, readOnly, infoHash(a), (int) port, impliedPort,
                new Token(a.bytes("token")));
    }

    private static byte[] tokenBytes(BencodeDict a) throws BencodeFieldException {
        byte[] t = a.bytes("token");
        if (t.length == 0 || t.length > Token.MAX_LENGTH) {
            throw new BencodeFieldException(a.field("token"), "must be 1.." + Token.MAX_LENGTH + " bytes");
        }
        return t;
    }

    /** A put's item: mutable when it has {@code k}. Lengths are checked here; salt size and signature by the store. */
    private static DhtItem decodeItem(BencodeDict a, ItemValue v) throws BencodeFieldException {
        byte[] k = a.bytesOrNull("k");
        if (k == null) {
            return new ImmutableItem(v);
        }
        byte[] sig = a.bytes("sig");
        if (k.length != 32 || sig.length != 64) {
            throw new BencodeFieldException(a.field("k"), "k must be 32 bytes and sig 64 bytes");
        }
        byte[] salt = a.bytesOrNull("salt");
        return new MutableItem(k, salt == null ? new byte[0] : salt, a.integer("seq"), v, sig);
    }

    private static OptionalLong optionalLong(BencodeDict d, String key) throws BencodeFieldException {
        Long n = d.integerOrNull(key);
        return n == null ? OptionalLong.empty() : OptionalLong.of(n);
    }

    private static Optional<ItemReply> decodeItemReply(BencodeDict r, RawValue rawV) throws BencodeFieldException {
        Optional<ItemValue> v = rawV.read();
        Long seq = r.integerOrNull("seq");
        byte[] k = r.bytesOrNull("k");
        byte[] sig = r.bytesOrNull("sig");
        if (v.isEmpty() && seq == null && k == null && sig == null) {
            return Optional.empty();
        }
        return Optional.of(ItemReply.of(v.orElse(null), seq, k, sig));
    }

    private static Optional<Samples> decodeSamples(BencodeDict r) throws BencodeFieldException {
        byte[] packed = r.bytesOrNull("samples");
        if (packed == null) {
            return Optional.empty();
        }
        if (packed.length % InfoHash.LENGTH != 0) {
            throw new BencodeFieldException(r.field("samples"), "must be a multiple of 20 bytes");
        }
        List<InfoHash> samples = new ArrayList<>(packed.length / InfoHash.LENGTH);
        for (int off = 0; off < packed.length; off += InfoHash.LENGTH) {
            samples.add(InfoHash.of(Arrays.copyOfRange(packed, off, off + InfoHash.LENGTH)));
        }
        Long interval = r.integerOrNull("interval");
        Long num = r.integerOrNull("num");
        int seconds = (int) Math.max(0, Math.min(Samples.MAX_INTERVAL_SECONDS, interval == null ? 0 : interval));
        return Optional.of(new Samples(seconds, Math.max(0, num == null ? samples.size() : num), samples));
    }

    private static KrpcResponse decodeResponse(BencodeDict r, TransactionId tid, RawValue rawV) throws BencodeFieldException {
        NodeId sender = nodeId(r, "id");
        List<CompactNodeInfo> nodeList = new ArrayList<>();
        for (AddressFamily family : AddressFamily.values()) { // nodes (BEP 5) and nodes6 (BEP 32)
            byte[] nodes = r.bytesOrNull(family.nodesKey());
            if (nodes != null) {
                nodeList.addAll(CompactNodeInfo.decodeAll(nodes, family));
            }
        }
        List<InetSocketAddress> values = new ArrayList<>();
        List<Object> raw = r.listOrNull("values");
        if (raw != null) {
            for (Object v : raw) {
                if (v instanceof byte[] b) {
                    CompactPeer.decode(b).ifPresent(values::add); // 6 bytes IPv4, 18 IPv6 (BEP 32); junk skipped
                }
            }
        }
        byte[] token = r.bytesOrNull("token");
        Optional<Token> t = token == null || token.length == 0 || token.length > Token.MAX_LENGTH
                ? Optional.empty() : Optional.of(new Token(token));
        return new KrpcResponse(tid, sender, nodeList, values, t, decodeItemReply(r, rawV), decodeSamples(r));
    }

    private static KrpcError decodeError(List<Object> e, TransactionId tid) throws BencodeFieldException {
        if (e.size() < 2 || !(e.get(0) instanceof Long code) || !(e.get(1) instanceof byte[] msg)) {
            throw new BencodeFieldException("e", "must be [code, message]");
        }
        return new KrpcError(tid, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, code)),
                new String(msg, UTF_8));
    }

    private static NodeId nodeId(BencodeDict d, String key) throws BencodeFieldException {
        byte[] b = d.bytes(key);
        if (b.length != NodeId.LENGTH) {
            throw new BencodeFieldException(d.field(key), "must be 20 bytes");
        }
        return NodeId.of(b);
    }

    private static InfoHash infoHash(BencodeDict a) throws BencodeFieldException {
        byte[] b = a.bytes("info_hash");
        if (b.length != InfoHash.LENGTH) {
            throw new BencodeFieldException(a.field("info_hash"), "must be 20 bytes");
        }
        return InfoHash.of(b);
    }
}
