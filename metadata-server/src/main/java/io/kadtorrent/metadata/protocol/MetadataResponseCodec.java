package io.kadtorrent.metadata.protocol;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeDict;
import io.kadtorrent.torrent.bencode.BencodeFieldException;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Encodes and decodes the bencoded dictionary inside one response frame. Every response has
 * {@code id} and {@code ok}; a failure is {@code {id, ok: 0, error: {code, message}}}. Stateless.
 */
public final class MetadataResponseCodec {

    private MetadataResponseCodec() {
    }

    public static byte[] encode(MetadataResponse response) {
        Map<String, Object> d = new TreeMap<>();
        d.put("id", response.id());
        d.put("ok", response instanceof MetadataResponse.Failure ? 0 : 1);
        if (response instanceof MetadataResponse.Page p) {
            d.put("torrents", p.torrents().stream().map(MetadataResponseCodec::summary).toList());
            d.put("total", p.total());
            d.put("offset", p.offset());
        } else if (response instanceof MetadataResponse.Torrent t) {
            byte[] head = encodeTorrentHead(t);
            byte[] out = Arrays.copyOf(head, head.length + t.torrentView().remaining() + 1);
            t.torrentView().get(out, head.length, out.length - head.length - 1);
            out[out.length - 1] = 'e';
            return out;
        } else if (response instanceof MetadataResponse.Published p) {
            d.put("info_hash", p.infoHash().bytes());
            d.put("created", p.created() ? 1 : 0);
            d.put("name_taken_by_other_key", p.nameTakenByOtherKey() ? 1 : 0);
            if (p.nameTakenByOtherKey()) {
                d.put("other_keys", p.otherPublishers().stream().map(PublisherKey::bytes).toList());
            }
        } else if (response instanceof MetadataResponse.Unpublished u) {
            d.put("info_hash", u.infoHash().bytes());
            d.put("removed", 1);
        } else if (response instanceof MetadataResponse.NodeList n) {
            d.put("nodes", n.nodes().stream().map(h -> List.<Object>of(h.getHost(), h.getPort())).toList());
        } else if (response instanceof MetadataResponse.Failure f) {
            Map<String, Object> error = new TreeMap<>(Map.of("code", f.code().code(), "message", f.message()));
            if (!f.suggestions().isEmpty()) {
                error.put("suggestions", f.suggestions());
            }
            d.put("error", error);
        }
        return BencodeCodec.encode(d);
    }

    /**
     * Decodes one response frame. Which kind it is follows from its keys ({@code error},
     * {@code torrents}, {@code torrent}, {@code created}, {@code removed}, {@code nodes}).
     */
    public static MetadataResponse decode(byte[] frame) throws MetadataProtocolException {
        FrameDict f = FrameDict.decode(frame);
        BencodeDict d = f.dict();
        try {
            if (d.integer("ok") == 0) {
                BencodeDict error = d.dict("error");
                return new MetadataResponse.Failure(f.id(), ErrorCode.of(error.integer("code")), error.utf8("message"),
                        suggestions(f, error));
            }
            if (d.has("torrents")) {
                return page(f);
            }
            if (d.has("torrent")) {
                return new MetadataResponse.Torrent(f.id(), d.bytes("torrent"), signature(f));
            }
            if (d.has("created")) {
                return new MetadataResponse.Published(f.id(), infoHash(f, d.bytes("info_hash")), d.integer("created") != 0,
                        keys(f, d.listOrNull("other_keys")));
            }
            if (d.has("removed")) {
                return new MetadataResponse.Unpublished(f.id(), infoHash(f, d.bytes("info_hash")));
            }
            if (d.has("nodes")) {
                return nodes(f);
            }
            throw f.error(ErrorCode.BAD_REQUEST, "response of unknown kind, keys " + d.keys());
        } catch (BencodeFieldException e) {
            throw f.error(e);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw f.error(ErrorCode.BAD_REQUEST, "malformed response: " + e.getMessage());
        }
    }

    /**
     * A {@link MetadataResponse.Torrent} body is {@code head + torrent bytes + "e"}: {@code torrent}
     * is the last key in sorted order, so the head is the other keys' dictionary without its
     * closing {@code e}, then {@code 7:torrent<length>:}. Lets the server send the (large, cached)
     * torrent bytes without copying them into the frame.
     */
    public static byte[] encodeTorrentHead(MetadataResponse.Torrent t) {
        Map<String, Object> d = new TreeMap<>();
        d.put("id", t.id());
        d.put("ok", 1);
        d.put("key", t.signature().key().bytes());
        d.put("signature", t.signature().signature());
        byte[] others = BencodeCodec.encode(d);
        byte[] key = ("7:torrent" + t.torrentView().remaining() + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] head = Arrays.copyOf(others, others.length - 1 + key.length);
        System.arraycopy(key, 0, head, others.length - 1, key.length);
        return head;
    }

    private static Map<String, Object> summary(TorrentSummary s) {
        Map<String, Object> d = new TreeMap<>(Map.of("info_hash", s.infoHash().bytes(), "name", s.name(),
                "length", s.totalBytes(), "files", s.fileCount()));
        s.publisher().ifPresent(k -> d.put("key", k.bytes()));
        return d;
    }

    private static MetadataResponse page(FrameDict f) throws BencodeFieldException, MetadataProtocolException {
        List<TorrentSummary> out = new ArrayList<>();
        for (BencodeDict e : f.dict().dictList("torrents")) {
            // "key" is absent from servers that predate it: an empty publisher, not an error.
            byte[] key = e.bytesOrNull("key");
            if (key != null && key.length != PublisherKey.LENGTH) {
                throw f.error(ErrorCode.BAD_REQUEST, "key must be 32 bytes");
            }
            out.add(new TorrentSummary(infoHash(f, e.bytes("info_hash")), e.utf8("name"),
                    e.integer("length"), Math.toIntExact(e.integer("files")),
                    Optional.ofNullable(key).map(PublisherKey::of)));
        }
        return new MetadataResponse.Page(f.id(), out, Math.toIntExact(f.dict().integer("total")),
                Math.toIntExact(f.dict().integer("offset")));
    }

    private static MetadataResponse nodes(FrameDict f) throws BencodeFieldException, MetadataProtocolException {
        List<HostAndPort> out = new ArrayList<>();
        for (Object item : f.dict().list("nodes")) {
            if (!(item instanceof List<?> pair) || pair.size() != 2
                    || !(pair.get(0) instanceof byte[] host) || !(pair.get(1) instanceof Long port)) {
                throw f.error(ErrorCode.BAD_REQUEST, "nodes entries must be [host, port]");
            }
            out.add(HostAndPort.fromParts(new String(host, UTF_8), Math.toIntExact(port)));
        }
        return new MetadataResponse.NodeList(f.id(), out);
    }

    private static List<String> suggestions(FrameDict f, BencodeDict error) throws BencodeFieldException,
            MetadataProtocolException {
        List<Object> items = error.listOrNull("suggestions");
        List<String> out = new ArrayList<>();
        for (Object item : items == null ? List.of() : items) {
            if (!(item instanceof byte[] name)) {
                throw f.error(ErrorCode.BAD_REQUEST, "suggestions must be strings");
            }
            if (out.size() < MetadataResponse.Failure.MAX_SUGGESTIONS) {
                out.add(new String(name, UTF_8));
            }
        }
        return out;
    }

    private static List<PublisherKey> keys(FrameDict f, List<Object> items) throws MetadataProtocolException {
        List<PublisherKey> out = new ArrayList<>();
        for (Object item : items == null ? List.of() : items) {
            if (!(item instanceof byte[] key) || key.length != PublisherKey.LENGTH) {
                throw f.error(ErrorCode.BAD_REQUEST, "other_keys entries must be 32-byte keys");
            }
            out.add(PublisherKey.of(key));
        }
        return out;
    }

    private static TorrentSignature signature(FrameDict f) throws BencodeFieldException, MetadataProtocolException {
        byte[] key = f.dict().bytes("key");
        byte[] sig = f.dict().bytes("signature");
        if (key.length != PublisherKey.LENGTH || sig.length != TorrentSignature.LENGTH) {
            throw f.error(ErrorCode.BAD_REQUEST, "key must be 32 bytes and signature 64 bytes");
        }
        return new TorrentSignature(PublisherKey.of(key), sig);
    }

    private static InfoHash infoHash(FrameDict f, byte[] bytes) throws MetadataProtocolException {
        if (bytes.length != InfoHash.LENGTH) {
            throw f.error(ErrorCode.BAD_REQUEST, "info_hash must be 20 bytes");
        }
        return InfoHash.of(bytes);
    }
}
