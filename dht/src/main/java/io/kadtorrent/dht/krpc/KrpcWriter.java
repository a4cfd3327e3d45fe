package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Writes the messages a node sends all the time (ping, find_node, get_peers and announce_peer
 * queries, their replies without a BEP 44 item or BEP 51 sample, and errors) straight into bytes,
 * keys already in the byte order BEP 3 asks of a dictionary. It produces exactly the bytes
 * {@link KrpcCodec}'s general encoder does (a property test compares them); the others it leaves to
 * that encoder. Each thread writes in its own buffer, reused from one message to the next (a simulated
 * million nodes encode hundreds of millions of datagrams); only the finished datagram is a new array.
 */
final class KrpcWriter {

    /** Room for any datagram this writer makes in one go: BEP 5 datagrams stay under one MTU. */
    private static final int BUFFER = 1536;
    private static final ThreadLocal<KrpcWriter> WRITERS = ThreadLocal.withInitial(KrpcWriter::new);

    private byte[] out = new byte[BUFFER];
    private int size;

    private KrpcWriter() {
    }

    /** True when {@link #write} handles {@code message}; the rest go through the general encoder. */
    static boolean handles(KrpcMessage message) {
        if (message instanceof KrpcQuery q) {
            return q instanceof KrpcQuery.Ping || q instanceof KrpcQuery.FindNode
                    || q instanceof KrpcQuery.GetPeers || q instanceof KrpcQuery.AnnouncePeer;
        }
        return !(message instanceof KrpcResponse r) || r.item().isEmpty() && r.samples().isEmpty();
    }

    /**
     * The datagram for {@code message} (one {@link #handles} accepts), with BEP 42's {@code ip} when
     * {@code requester} is present.
     * <pre>
     * d [1:a d...e] [1:e l...e] [2:ip 6:...] [1:q ...] [1:r d...e] [2:ro i1e] 1:t ... 1:v 4:KT.. 1:y 1:q|r|e e
     * </pre>
     */
    static byte[] write(KrpcMessage message, Optional<InetSocketAddress> requester) {
        KrpcWriter w = WRITERS.get();
        w.size = 0;
        w.put('d');
        if (message instanceof KrpcQuery q) {
            w.key("a");
            w.arguments(q);
        } else if (message instanceof KrpcError e) {
            w.key("e");
            w.put('l');
            w.integer(e.code());
            w.string(e.message().getBytes(UTF_8));
            w.put('e');
        }
        if (requester.isPresent()) {
            w.key("ip");
            w.peer(requester.get());
        }
        if (message instanceof KrpcQuery q) {
            w.key("q");
            w.string(q.method().getBytes(UTF_8));
        } else if (message instanceof KrpcResponse r) {
            w.key("r");
            w.responseBody(r);
        }
        if (message instanceof KrpcQuery q && q.readOnly()) {
            w.key("ro"); // BEP 43: top-level key
            w.integer(1);
        }
        w.key("t");
        w.string(message.transactionId().bytes());
        w.key("v");
        w.string(KrpcCodec.VERSION);
        w.key("y");
        w.string(message instanceof KrpcQuery ? "q" : message instanceof KrpcResponse ? "r" : "e");
        w.put('e');
        byte[] datagram = Arrays.copyOf(w.out, w.size);
        if (w.out.length > BUFFER) {
            w.out = new byte[BUFFER]; // a huge message once does not keep its buffer for the thread's life
        }
        return datagram;
    }

    private void arguments(KrpcQuery q) {
        put('d');
        key("id");
        id(q.sender());
        if (q instanceof KrpcQuery.FindNode f) {
            key("target");
            id(f.target());
            want(f.want());
        } else if (q instanceof KrpcQuery.GetPeers g) {
            key("info_hash");
            string(g.infoHash().bytes());
            want(g.want());
        } else if (q instanceof KrpcQuery.AnnouncePeer a) {
            if (a.impliedPort()) {
                key("implied_port");
                integer(1);
            }
            key("info_hash");
            string(a.infoHash().bytes());
            key("port");
            integer(a.port());
            key("token");
            string(a.token().bytes());
        } // a ping carries the id alone
        put('e');
    }

    /** BEP 32 {@code want}: families in declaration order, left out when empty. */
    private void want(Set<AddressFamily> want) {
        if (want.isEmpty()) {
            return;
        }
        key("want");
        put('l');
        for (AddressFamily f : AddressFamily.values()) {
            if (want.contains(f)) {
                string(f.wantName());
            }
        }
        put('e');
    }

    private void responseBody(KrpcResponse r) {
        put('d');
        key("id");
        id(r.sender());
        for (AddressFamily family : AddressFamily.values()) { // "nodes" < "nodes6": declaration order is key order
            nodes(r.nodes(), family);
        }
        if (r.token().isPresent()) {
            key("token");
            string(r.token().get().bytes());
        }
        if (!r.values().isEmpty()) {
            key("values");
            put('l');
            for (InetSocketAddress p : r.values()) {
                if (CompactPeer.isEncodable(p)) {
                    peer(p);
                }
            }
            put('e');
        }
        put('e');
    }

    /** The compact node infos of one family, written in place; no key when there are none. */
    private void nodes(List<CompactNodeInfo> nodes, AddressFamily family) {
        if (nodes instanceof CompactNodeList table) {
            nodes(table, family);
            return;
        }
        int count = 0;
        for (CompactNodeInfo n : nodes) {
            if (!n.address().isUnresolved() && n.family() == family) {
                count++;
            }
        }
        if (count == 0) {
            return;
        }
        int length = family.compactNodeLength();
        key(family.nodesKey());
        length(count * length);
        ensure(count * length);
        for (CompactNodeInfo n : nodes) {
            if (!n.address().isUnresolved() && n.family() == family) {
                n.id().copyTo(out, size);
                CompactPeer.write(n.address(), out, size + NodeId.LENGTH);
                size += length;
            }
        }
    }

    /** The same from a routing table's numbers: no object per node. */
    private void nodes(CompactNodeList nodes, AddressFamily family) {
        int count = 0;
        for (int i = 0; i < nodes.size(); i++) {
            if (isOf(nodes.address(i), family)) {
                count++;
            }
        }
        if (count == 0) {
            return;
        }
        int length = family.compactNodeLength();
        key(family.nodesKey());
        length(count * length);
        ensure(count * length);
        for (int i = 0; i < nodes.size(); i++) {
            if (isOf(nodes.address(i), family)) {
                nodes.copyIdTo(i, out, size);
                CompactPeer.write(nodes.address(i), out, size + NodeId.LENGTH);
                size += length;
            }
        }
    }

    private static boolean isOf(InetSocketAddress address, AddressFamily family) {
        return !address.isUnresolved() && AddressFamily.of(address.getAddress()) == family;
    }

    /** A compact peer as a string (6 or 18 bytes), written in place. */
    private void peer(InetSocketAddress address) {
        int n = AddressFamily.of(address.getAddress()).compactPeerLength();
        length(n);
        ensure(n);
        CompactPeer.write(address, out, size);
        size += n;
    }

    private void key(String ascii) {
        int n = ascii.length();
        ensure(n + 3);
        if (n >= 10) {
            out[size++] = (byte) ('0' + n / 10);
        }
        out[size++] = (byte) ('0' + n % 10);
        out[size++] = ':';
        for (int i = 0; i < n; i++) {
            out[size++] = (byte) ascii.charAt(i); // keys are ASCII
        }
    }

    private void id(NodeId id) {
        length(NodeId.LENGTH);
        ensure(NodeId.LENGTH);
        id.copyTo(out, size);
        size += NodeId.LENGTH;
    }

    private void string(String ascii) {
        string(ascii.getBytes(ISO_8859_1));
    }

    private void string(byte[] b) {
        length(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, out, size, b.length);
        size += b.length;
    }

    private void length(int n) {
        digits(n);
        put(':');
    }

    private void integer(long n) {
        put('i');
        digits(n);
        put('e');
    }

    /** The decimal digits of {@code n}, with a minus sign when negative (Long.toString's text, without the String). */
    private void digits(long n) {
        if (n >= 0 && n < 100) { // nearly every length and integer in a datagram
            ensure(2);
            if (n >= 10) {
                out[size++] = (byte) ('0' + n / 10);
            }
            out[size++] = (byte) ('0' + n % 10);
            return;
        }
        if (n < 0 && n != Long.MIN_VALUE) {
            put('-');
            n = -n;
        } else if (n == Long.MIN_VALUE) {
            byte[] text = Long.toString(n).getBytes(ISO_8859_1);
            ensure(text.length);
            System.arraycopy(text, 0, out, size, text.length);
            size += text.length;
            return;
        }
        int count = 1;
        for (long rest = n / 10; rest > 0; rest /= 10) {
            count++;
        }
        ensure(count);
        for (int i = size + count - 1; i >= size; i--) {
            out[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        size += count;
    }

    private void put(char c) {
        ensure(1);
        out[size++] = (byte) c;
    }

    private void ensure(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }
}
