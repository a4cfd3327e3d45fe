package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.rpc.TransactionId;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * Reads, in one pass over the bytes and without building a generic dictionary, the datagrams a node
 * receives all the time: well-formed ping, find_node, get_peers and announce_peer queries and
 * replies carrying only {@code id}, {@code nodes}, {@code nodes6}, {@code token} and {@code values}.
 * Anything else (an error, another method, a BEP 44 field, an unknown key, keys out of order,
 * a value that would be refused) it declines with {@code null}, and {@link KrpcCodec}'s general
 * decoder reads it, with its error codes. So it only ever accepts what the general decoder accepts,
 * and returns an equal message (a property test compares them). One reader per datagram.
 */
final class KrpcReader {

    /** Declines a datagram: the general decoder takes it over. */
    private static final class Decline extends Exception {
        static final Decline INSTANCE = new Decline();

        private Decline() {
            super(null, null, false, false);
        }
    }

    private static final BencodeLimits LIMITS = BencodeLimits.DATAGRAM;

    private final byte[] in;
    private final KnownNodes known;
    private int pos;
    private int items;

    private KrpcReader(byte[] in, KnownNodes known) {
        this.in = in;
        this.known = known;
    }

    /** The message in {@code datagram}, or null when the general decoder must read it. */
    static KrpcMessage read(byte[] datagram, KnownNodes known) {
        if (datagram.length > LIMITS.maxBytes()) {
            return null;
        }
        try {
            KrpcReader r = new KrpcReader(datagram, known);
            KrpcMessage m = r.message();
            return r.pos == datagram.length ? m : null;
        } catch (Decline | RuntimeException e) {
            return null;
        }
    }

    /** What a top-level dictionary held, by the keys this reader knows. */
    private static final class Top {
        Arguments a;
        Body r;
        byte[] q;
        byte[] t;
        int y = -1; // the one byte of y (read in place), or -1 when absent or of another length
        long ro;
    }

    private static final class Arguments {
        NodeId id;
        byte[] target;
        byte[] infoHash;
        Set<AddressFamily> want = Set.of();
        Long port;
        long impliedPort;
        byte[] token;
    }

    private static final class Body {
        NodeId id;
        List<CompactNodeInfo> nodes = List.of();
        byte[] token;
        List<InetSocketAddress> values = List.of();
    }

    /** The keys and method names this reader knows, as strings and as bytes. */
    private static final String[] NAMES = {"a", "ip", "v", "q", "r", "ro", "t", "y", "id", "target", "info_hash",
        "want", "port", "implied_port", "token", "nodes", "nodes6", "values", "ping", "find_node", "get_peers",
        "announce_peer"};
    private static final byte[][] NAME_BYTES = Arrays.stream(NAMES).map(n -> n.getBytes(ISO_8859_1)).toArray(byte[][]::new);

    /** {@code key} as a string: one of {@link #NAMES} without a new string, since every message repeats them. */
    private static String name(byte[] key) {
        return name(key, 0, key.length);
    }

    /** {@code in[from..to)} as a string, as {@link #name(byte[])}, read in place. */
    private String name(int from, int to) {
        return name(in, from, to);
    }

    private static String name(byte[] b, int from, int to) {
        int length = to - from;
        for (int i = 0; i < NAMES.length; i++) {
            byte[] n = NAME_BYTES[i];
            if (n.length == length && n[0] == b[from] && Arrays.equals(n, 0, length, b, from, to)) {
                return NAMES[i];
            }
        }
        return new String(b, from, length, ISO_8859_1);
    }

    private KrpcMessage message() throws Decline {
        Top top = new Top();
        expect('d');
        count();
        int lastStart = -1;
        int lastEnd = -1;
        while (peek() != 'e') {
            int keyStart = orderedKey(lastStart, lastEnd);
            lastStart = keyStart;
            lastEnd = pos;
            switch (name(keyStart, pos)) {
                case "a" -> top.a = arguments();
                case "ip", "v" -> stringStart(); // not used: skipped without a copy
                case "q" -> top.q = string();
                case "r" -> top.r = body();
                case "ro" -> top.ro = integer();
                case "t" -> top.t = string();
                case "y" -> top.y = oneByte();
                default -> throw Decline.INSTANCE;
            }
        }
        pos++;
        if (top.t == null || top.y == -1 || top.t.length > TransactionId.MAX_LENGTH) {
            throw Decline.INSTANCE;
        }
        TransactionId tid = new TransactionId(top.t);
        if (top.y == 'q' && top.a != null && top.q != null) {
            return query(tid, top);
        }
        if (top.y == 'r' && top.r != null) {
            Body r = top.r;
            Optional<Token> token = r.token == null || r.token.length == 0 || r.token.length > Token.MAX_LENGTH
                    ? Optional.empty() : Optional.of(new Token(r.token));
            return new KrpcResponse(tid, r.id, r.nodes, r.values, token);
        }
        throw Decline.INSTANCE;
    }

    private KrpcQuery query(TransactionId tid, Top top) throws Decline {
        Arguments a = top.a;
        boolean readOnly = top.ro == 1;
        String method = name(top.q);
        return switch (method) {
            case "ping" -> new KrpcQuery.Ping(tid, a.id, readOnly);
            case "find_node" -> new KrpcQuery.FindNode(tid, a.id, readOnly, NodeId.of(twenty(a.target)), a.want);
            case "get_peers" -> new KrpcQuery.GetPeers(tid, a.id, readOnly, InfoHash.of(twenty(a.infoHash)), a.want);
            case "announce_peer" -> announce(tid, a, readOnly);
            default -> throw Decline.INSTANCE;
        };
    }

    private static KrpcQuery announce(TransactionId tid, Arguments a, boolean readOnly) throws Decline {
        boolean implied = a.impliedPort != 0;
        if (a.port == null || a.port < 0 || a.port > 65_535 || (!implied && a.port == 0)
                || a.token == null || a.token.length == 0 || a.token.length > Token.MAX_LENGTH) {
            throw Decline.INSTANCE;
        }
        return new KrpcQuery.AnnouncePeer(tid, a.id, readOnly, InfoHash.of(twenty(a.infoHash)), a.port.intValue(),
                implied, new Token(a.token));
    }

    private static byte[] twenty(byte[] b) throws Decline {
        if (b == null || b.length != NodeId.LENGTH) {
            throw Decline.INSTANCE;
        }
        return b;
    }

    private Arguments arguments() throws Decline {
        Arguments a = new Arguments();
        expect('d');
        count();
        int lastStart = -1;
        int lastEnd = -1;
        while (peek() != 'e') {
            int keyStart = orderedKey(lastStart, lastEnd);
            lastStart = keyStart;
            lastEnd = pos;
            switch (name(keyStart, pos)) {
                case "id" -> a.id = nodeId();
                case "target" -> a.target = string();
                case "info_hash" -> a.infoHash = string();
                case "want" -> a.want = want();
                case "port" -> a.port = integer();
                case "implied_port" -> a.impliedPort = integer();
                case "token" -> a.token = string();
                default -> throw Decline.INSTANCE;
            }
        }
        pos++;
        if (a.id == null) {
            throw Decline.INSTANCE;
        }
        return a;
    }

    private Set<AddressFamily> want() throws Decline {
        expect('l');
        count();
        Set<AddressFamily> want = EnumSet.noneOf(AddressFamily.class);
        while (peek() != 'e') {
            byte[] name = string();
            if (name.length == 2) {
                AddressFamily.fromWant(new String(name, ISO_8859_1))
                        .ifPresent(want::add);
            }
        }
        pos++;
        return want;
    }

    private Body body() throws Decline {
        Body b = new Body();
        expect('d');
        count();
        int lastStart = -1;
        int lastEnd = -1;
        List<CompactNodeInfo> v6 = List.of();
        while (peek() != 'e') {
            int keyStart = orderedKey(lastStart, lastEnd);
            lastStart = keyStart;
            lastEnd = pos;
            switch (name(keyStart, pos)) {
                case "id" -> b.id = nodeId();
                case "nodes" -> b.nodes = nodes(AddressFamily.IPV4);
                case "nodes6" -> v6 = nodes(AddressFamily.IPV6);
                case "token" -> b.token = string();
                case "values" -> b.values = values();
                default -> throw Decline.INSTANCE;
            }
        }
        pos++;
        if (b.id == null) {
            throw Decline.INSTANCE;
        }
        if (!v6.isEmpty()) { // the general decoder lists IPv4 nodes first, then IPv6
            List<CompactNodeInfo> all = new ArrayList<>(b.nodes);
            all.addAll(v6);
            b.nodes = all;
        }
        return b;
    }

    private List<CompactNodeInfo> nodes(AddressFamily family) throws Decline {
        int start = stringStart();
        int length = pos - start;
        if (length % family.compactNodeLength() != 0) {
            throw Decline.INSTANCE;
        }
        return CompactNodeInfo.decodeAll(in, start, pos, family, known);
    }

    private List<InetSocketAddress> values() throws Decline {
        expect('l');
        count();
        List<InetSocketAddress> values = new ArrayList<>();
        while (peek() != 'e') {
            CompactPeer.decode(string()).ifPresent(values::add); // 6 or 18 bytes; anything else is skipped
        }
        pos++;
        return values;
    }

    private NodeId nodeId() throws Decline {
        int start = stringStart();
        if (pos - start != NodeId.LENGTH) {
            throw Decline.INSTANCE;
        }
        return NodeId.of(in, start);
    }

    /**
     * A key, which must sort strictly after the one at {@code in[lastStart..lastEnd)} (none when {@code lastStart}
     * is negative; BEP 3 byte order, which also refuses duplicates); returns where it starts, {@link #pos} being
     * where it ends.
     */
    private int orderedKey(int lastStart, int lastEnd) throws Decline {
        int start = stringStart();
        if (lastStart >= 0 && Arrays.compareUnsigned(in, lastStart, lastEnd, in, start, pos) >= 0) {
            throw Decline.INSTANCE;
        }
        return start;
    }

    /** A byte string of one byte, read in place: that byte (0-255), or -1 for any other length. */
    private int oneByte() throws Decline {
        int start = stringStart();
        return pos - start == 1 ? in[start] & 0xff : -1;
    }

    private byte[] string() throws Decline {
        int start = stringStart();
        return Arrays.copyOfRange(in, start, pos);
    }

    /** Reads a canonical byte string's header, moves past its content and returns where the content starts. */
    private int stringStart() throws Decline {
        count();
        int first = pos;
        long length = 0;
        while (peek() != ':') {
            byte c = in[pos];
            if (c < '0' || c > '9' || pos - first >= 6) { // a datagram is at most 64 KiB: 5 digits
                throw Decline.INSTANCE;
            }
            length = length * 10 + (c - '0');
            pos++;
        }
        if (pos == first || (pos - first > 1 && in[first] == '0')) {
            throw Decline.INSTANCE;
        }
        pos++;
        if (length > in.length - pos) {
            throw Decline.INSTANCE;
        }
        int start = pos;
        pos += (int) length;
        return start;
    }

    /** A canonical integer of at most 18 digits (no leading zero, no -0). */
    private long integer() throws Decline {
        count();
        expect('i');
        boolean negative = peek() == '-';
        if (negative) {
            pos++;
        }
        int first = pos;
        long n = 0;
        while (peek() != 'e') {
            byte c = in[pos];
            if (c < '0' || c > '9' || pos - first >= 18) {
                throw Decline.INSTANCE;
            }
            n = n * 10 + (c - '0');
            pos++;
        }
        if (pos == first || (in[first] == '0' && (pos - first > 1 || negative))) {
            throw Decline.INSTANCE;
        }
        pos++;
        return negative ? -n : n;
    }

    private void count() throws Decline {
        if (++items > LIMITS.maxItems()) {
            throw Decline.INSTANCE;
        }
    }

    private void expect(char c) throws Decline {
        if (peek() != c) {
            throw Decline.INSTANCE;
        }
        pos++;
    }

    private int peek() throws Decline {
        if (pos >= in.length) {
            throw Decline.INSTANCE;
        }
        return in[pos] & 0xff;
    }
}
