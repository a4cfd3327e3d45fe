package io.kadtorrent.engine.ext;

import io.kadtorrent.engine.wire.CompactPeers;

import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.bencode.InvalidBencodeException;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A peer exchange message (BEP 11, {@code ut_pex}): peers the sender connected to and dropped since its last
 * message, in compact form ({@code added}/{@code dropped} for IPv4, {@code added6}/{@code dropped6} for IPv6).
 * Decoding keeps at most {@link #MAX_PEERS} of each list: what one peer may tell us is bounded.
 */
public record PexMessage(List<InetSocketAddress> added, List<InetSocketAddress> dropped) implements ExtensionMessage {

    public static final int MAX_PEERS = 50;
    static final BencodeLimits LIMITS = new BencodeLimits(16 << 10, 4, 64);

    public PexMessage {
        added = List.copyOf(added);
        dropped = List.copyOf(dropped);
    }

    byte[] encode() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("added", CompactPeers.encode(added, 4));
        d.put("added.f", new byte[count(added, 4)]); // no flags: we do not know more about them
        d.put("added6", CompactPeers.encode(added, 16));
        d.put("added6.f", new byte[count(added, 16)]);
        d.put("dropped", CompactPeers.encode(dropped, 4));
        d.put("dropped6", CompactPeers.encode(dropped, 16));
        return BencodeCodec.encode(d);
    }

    static PexMessage decode(byte[] payload) throws ExtensionProtocolException {
        Object v;
        try {
            v = BencodeCodec.decode(payload, LIMITS);
        } catch (InvalidBencodeException e) {
            throw new ExtensionProtocolException("ut_pex: " + e.getMessage());
        }
        if (!(v instanceof Map<?, ?> d)) {
            throw new ExtensionProtocolException("ut_pex: not a dictionary");
        }
        List<InetSocketAddress> added = new ArrayList<>();
        List<InetSocketAddress> dropped = new ArrayList<>();
        read(d.get("added"), 4, added);
        read(d.get("added6"), 16, added);
        read(d.get("dropped"), 4, dropped);
        read(d.get("dropped6"), 16, dropped);
        return new PexMessage(added, dropped);
    }

    private static void read(Object value, int addressBytes, List<InetSocketAddress> out)
            throws ExtensionProtocolException {
        if (value == null) {
            return;
        }
        if (!(value instanceof byte[] b)) {
            throw new ExtensionProtocolException("ut_pex: compact peers must be a byte string");
        }
        try {
            out.addAll(CompactPeers.decode(b, 0, b.length, addressBytes, MAX_PEERS - out.size()));
        } catch (IllegalArgumentException e) {
            throw new ExtensionProtocolException("ut_pex: " + e.getMessage());
        }
    }

    private static int count(List<InetSocketAddress> peers, int addressBytes) {
        return (int) peers.stream().filter(p -> p.getAddress().getAddress().length == addressBytes).count();
    }
}
