package io.kadtorrent.metadata.protocol;

import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.metadata.signing.UnpublishSignature;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeFieldException;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Encodes and decodes the bencoded dictionary inside one request frame (the 4-byte length
 * prefix is the transport's job). Layout per op in docs/metadata-protocol.md. Stateless.
 */
public final class MetadataRequestCodec {

    /** Page size when a list or search does not say. */
    public static final int DEFAULT_LIMIT = 50;

    private MetadataRequestCodec() {
    }

    public static byte[] encode(MetadataRequest request) {
        Map<String, Object> d = new TreeMap<>();
        d.put("id", request.id());
        d.put("op", request.op());
        // Java 17: no pattern switch yet, so an instanceof chain over the sealed type.
        if (request instanceof MetadataRequest.ListTorrents l) {
            d.put("offset", l.offset());
            d.put("limit", l.limit());
        } else if (request instanceof MetadataRequest.Search s) {
            d.put("pattern", s.pattern());
            d.put("offset", s.offset());
            d.put("limit", s.limit());
        } else if (request instanceof MetadataRequest.GetByInfoHash g) {
            d.put("info_hash", g.infoHash().bytes());
        } else if (request instanceof MetadataRequest.GetByName g) {
            d.put("name", g.name());
            g.publisher().ifPresent(k -> d.put("key", k.bytes()));
        } else if (request instanceof MetadataRequest.Publish p) {
            d.put("torrent", p.torrent());
            d.put("key", p.signature().key().bytes());
            d.put("signature", p.signature().signature());
        } else if (request instanceof MetadataRequest.Unpublish u) {
            d.put("info_hash", u.signature().infoHash().bytes());
            d.put("key", u.signature().key().bytes());
            d.put("time", u.signature().timeSeconds());
            d.put("signature", u.signature().signature());
        }
        return BencodeCodec.encode(d);
    }

    /** Decodes one request frame; the exception says what to answer and with which id. */
    public static MetadataRequest decode(byte[] frame) throws MetadataProtocolException {
        FrameDict f = FrameDict.decode(frame);
        String op = f.utf8("op");
        try {
            return switch (op) {
                case "list" -> new MetadataRequest.ListTorrents(f.id(), offset(f), limit(f));
                case "search" -> new MetadataRequest.Search(f.id(), f.utf8("pattern"), offset(f), limit(f));
                case "get" -> get(f);
                case "publish" -> publish(f);
                case "unpublish" -> unpublish(f);
                case "nodes" -> new MetadataRequest.Nodes(f.id());
                default -> throw f.error(ErrorCode.BAD_REQUEST, "unknown op '" + truncate(op) + "'");
            };
        } catch (IllegalArgumentException e) {
            throw f.error(e);
        }
    }

    private static int offset(FrameDict f) throws MetadataProtocolException {
        return f.intOr("offset", 0, 0, Integer.MAX_VALUE);
    }

    private static int limit(FrameDict f) throws MetadataProtocolException {
        return f.intOr("limit", DEFAULT_LIMIT, 1, MetadataRequest.MAX_PAGE);
    }

    private static MetadataRequest get(FrameDict f) throws MetadataProtocolException {
        if (f.dict().has("info_hash")) {
            return new MetadataRequest.GetByInfoHash(f.id(), infoHash(f));
        }
        if (f.dict().has("name")) {
            Optional<PublisherKey> publisher = Optional.empty();
            if (f.dict().has("key")) {
                byte[] key = f.bytes("key");
                if (key.length != PublisherKey.LENGTH) {
                    throw f.error(ErrorCode.BAD_REQUEST, "key must be 32 bytes (Ed25519), got " + key.length);
                }
                publisher = Optional.of(PublisherKey.of(key));
            }
            return new MetadataRequest.GetByName(f.id(), f.utf8("name"), publisher);
        }
        throw f.error(ErrorCode.BAD_REQUEST, "get needs info_hash or name");
    }

    private static InfoHash infoHash(FrameDict f) throws MetadataProtocolException {
        byte[] hash = f.bytes("info_hash");
        if (hash.length != InfoHash.LENGTH) {
            throw f.error(ErrorCode.BAD_REQUEST, "info_hash must be 20 bytes, got " + hash.length);
        }
        return InfoHash.of(hash);
    }

    private static MetadataRequest unpublish(FrameDict f) throws MetadataProtocolException {
        InfoHash h = infoHash(f);
        long time;
        try {
            time = f.dict().integer("time");
        } catch (BencodeFieldException e) {
            throw f.error(e);
        }
        try {
            byte[] key = f.dict().bytesOrNull("key");
            byte[] signature = f.dict().bytesOrNull("signature");
            if (key == null || signature == null) {
                throw f.error(ErrorCode.BAD_SIGNATURE, "unpublish is unsigned: it needs a key and a signature");
            }
            if (key.length != PublisherKey.LENGTH || signature.length != TorrentSignature.LENGTH) {
                throw f.error(ErrorCode.BAD_SIGNATURE, "unpublish key must be 32 bytes and signature 64 bytes (Ed25519)");
            }
            return new MetadataRequest.Unpublish(f.id(), new UnpublishSignature(PublisherKey.of(key), h, time, signature));
        } catch (BencodeFieldException e) {
            throw f.error(ErrorCode.BAD_SIGNATURE, e.getMessage());
        }
    }

    private static MetadataRequest publish(FrameDict f) throws MetadataProtocolException {
        byte[] torrent = f.bytes("torrent");
        try {
            byte[] key = f.dict().bytesOrNull("key");
            byte[] signature = f.dict().bytesOrNull("signature");
            if (key == null || signature == null) {
                throw f.error(ErrorCode.BAD_SIGNATURE, "publish is unsigned: it needs a key and a signature");
            }
            if (key.length != PublisherKey.LENGTH || signature.length != TorrentSignature.LENGTH) {
                throw f.error(ErrorCode.BAD_SIGNATURE, "publish key must be 32 bytes and signature 64 bytes (Ed25519)");
            }
            return new MetadataRequest.Publish(f.id(), torrent, new TorrentSignature(PublisherKey.of(key), signature));
        } catch (BencodeFieldException e) {
            throw f.error(ErrorCode.BAD_SIGNATURE, e.getMessage());
        }
    }

    static String truncate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
