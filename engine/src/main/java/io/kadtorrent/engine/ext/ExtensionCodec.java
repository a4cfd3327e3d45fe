package io.kadtorrent.engine.ext;

import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeDict;
import io.kadtorrent.torrent.bencode.BencodeFieldException;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.bencode.InvalidBencodeException;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Encodes and decodes the payload of BEP 10 extended messages (what follows the extended message
 * id byte in peer wire message 20). Ids are ours on decode (peers send to the ids of our
 * handshake's {@code m}) and the peer's on encode (the caller looks them up with
 * {@link ExtensionHandshake#idOf}). Every length and index is checked before use; stateless.
 */
public final class ExtensionCodec {

    public static final int HANDSHAKE_ID = 0; // BEP 10: extended message id 0 is the handshake
    public static final int UT_METADATA_ID = 3; // our choice; BEP 10 lets each side pick its ids
    public static final int UT_PEX_ID = 1; // the id most clients use for ut_pex

    /** Handshakes are small dictionaries; 64 KiB leaves room for clients that add many keys. */
    static final BencodeLimits HANDSHAKE_LIMITS = BencodeLimits.of(64 << 10, 8, 1_024);
    /** The dictionary in front of a ut_metadata message holds three integers. */
    static final BencodeLimits METADATA_HEADER_LIMITS = BencodeLimits.of(1_024, 4, 32);

    private static final int MAX_CLIENT_NAME_CHARS = 64;
    private static final int MAX_REQUEST_QUEUE_DEPTH = 10_000;

    private static final int MSG_REQUEST = 0; // BEP 9 msg_type values
    private static final int MSG_DATA = 1;
    private static final int MSG_REJECT = 2;

    private ExtensionCodec() {
    }

    /**
     * Decodes an extended message that arrived with {@code extendedId}; empty for extensions we
     * did not advertise and for unknown ut_metadata message types, which BEP 9 says to ignore.
     */
    public static Optional<ExtensionMessage> decode(int extendedId, byte[] payload) throws ExtensionProtocolException {
        return switch (extendedId) {
            case HANDSHAKE_ID -> Optional.of(decodeHandshake(payload));
            case UT_METADATA_ID -> decodeMetadata(payload).map(m -> m);
            case UT_PEX_ID -> Optional.of(PexMessage.decode(payload));
            default -> Optional.empty();
        };
    }

    public static byte[] encode(ExtensionHandshake handshake) {
        Map<String, Object> dict = new LinkedHashMap<>();
        Map<String, Object> m = new TreeMap<>();
        handshake.extensionIds().forEach((name, id) -> m.put(name, (long) id));
        dict.put("m", m);
        handshake.client().ifPresent(v -> dict.put("v", v));
        handshake.listenPort().ifPresent(p -> dict.put("p", (long) p));
        handshake.metadataSizeBytes().ifPresent(s -> dict.put("metadata_size", (long) s));
        handshake.requestQueueDepth().ifPresent(q -> dict.put("reqq", (long) q));
        handshake.yourIp().ifPresent(a -> dict.put("yourip", a.getAddress())); // compact: 4 or 16 bytes
        if (handshake.uploadOnly()) {
            dict.put("upload_only", 1L); // BEP 21
        }
        return BencodeCodec.encode(dict);
    }

    public static byte[] encode(PexMessage message) {
        return message.encode();
    }

    public static byte[] encode(MetadataMessage message) {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("piece", (long) message.piece());
        if (message instanceof MetadataMessage.Data d) {
            dict.put("msg_type", (long) MSG_DATA);
            dict.put("total_size", (long) d.totalSizeBytes());
            byte[] data = d.data();
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 + data.length);
            out.writeBytes(BencodeCodec.encode(dict));
            out.writeBytes(data);
            return out.toByteArray();
        }
        dict.put("msg_type", (long) (message instanceof MetadataMessage.Request ? MSG_REQUEST : MSG_REJECT));
        return BencodeCodec.encode(dict);
    }

    static ExtensionHandshake decodeHandshake(byte[] payload) throws ExtensionProtocolException {
        try {
            BencodeDict dict = BencodeCodec.decodeDictionary(payload, HANDSHAKE_LIMITS).dict();
            Map<String, Integer> ids = new TreeMap<>();
            BencodeDict m = dict.dictOrNull("m");
            if (m != null) {
                for (String name : m.keys()) {
                    // BEP 10: id 0 disables an extension; we skip ids we cannot represent rather than
                    // refusing a peer over an extension we do not use.
                    if (m.asMap().get(name) instanceof Long id && id >= 1 && id <= 255) {
                        ids.put(name, id.intValue());
                    }
                }
            }
            String client = dict.has("v") && dict.asMap().get("v") instanceof byte[] v
                    ? truncate(new String(v, UTF_8)) : null;
            return new ExtensionHandshake(ids, Optional.ofNullable(client),
                    intIn(dict, "p", 1, 65_535),
                    intIn(dict, "metadata_size", 1, MetadataLayout.MAX_TOTAL_BYTES),
                    clampedPositive(dict, "reqq"), address(dict, "yourip"),
                    dict.asMap().get("upload_only") instanceof Long u && u != 0);
        } catch (InvalidBencodeException | BencodeFieldException e) {
            throw new ExtensionProtocolException("bad extension handshake: " + e.getMessage(), e);
        }
    }

    static Optional<MetadataMessage> decodeMetadata(byte[] payload) throws ExtensionProtocolException {
        try {
            BencodeCodec.Prefix prefix = BencodeCodec.decodeDictionaryPrefix(payload, METADATA_HEADER_LIMITS);
            BencodeDict dict = prefix.dict();
            long type = dict.integer("msg_type");
            long piece = dict.integer("piece");
            if (piece < 0 || piece >= MetadataLayout.MAX_TOTAL_BYTES / MetadataLayout.PIECE_BYTES) {
                throw new ExtensionProtocolException("ut_metadata piece index out of range: " + piece);
            }
            int trailing = payload.length - prefix.lengthBytes();
            if (type != MSG_DATA && trailing != 0) {
                throw new ExtensionProtocolException("ut_metadata msg_type " + type + " with " + trailing + " extra bytes");
            }
            return switch ((int) Math.max(-1, Math.min(type, 3))) {
                case MSG_REQUEST -> Optional.of(new MetadataMessage.Request((int) piece));
                case MSG_REJECT -> Optional.of(new MetadataMessage.Reject((int) piece));
                case MSG_DATA -> Optional.of(decodeData(dict, (int) piece, payload, prefix.lengthBytes()));
                default -> Optional.empty();
            };
        } catch (InvalidBencodeException | BencodeFieldException e) {
            throw new ExtensionProtocolException("bad ut_metadata message: " + e.getMessage(), e);
        }
    }

    private static MetadataMessage.Data decodeData(BencodeDict dict, int piece, byte[] payload, int dataStart)
            throws BencodeFieldException, ExtensionProtocolException {
        long total = dict.integer("total_size");
        if (!MetadataLayout.isValidSize(total)) {
            throw new ExtensionProtocolException("ut_metadata total_size out of range: " + total);
        }
        MetadataLayout layout = new MetadataLayout((int) total);
        if (!layout.hasPiece(piece)) {
            throw new ExtensionProtocolException("ut_metadata piece " + piece + " beyond total_size " + total);
        }
        int length = payload.length - dataStart;
        if (length != layout.pieceLengthBytes(piece)) {
            throw new ExtensionProtocolException("ut_metadata piece " + piece + " has " + length
                    + " bytes, expected " + layout.pieceLengthBytes(piece));
        }
        return new MetadataMessage.Data(piece, (int) total, Arrays.copyOfRange(payload, dataStart, payload.length));
    }

    /** An integer field within [min, max], or empty when absent, of another type or out of range. */
    private static OptionalInt intIn(BencodeDict dict, String key, int min, int max) {
        return dict.asMap().get(key) instanceof Long v && v >= min && v <= max
                ? OptionalInt.of(v.intValue()) : OptionalInt.empty();
    }

    private static OptionalInt clampedPositive(BencodeDict dict, String key) {
        return dict.asMap().get(key) instanceof Long v && v >= 1
                ? OptionalInt.of((int) Math.min(v, MAX_REQUEST_QUEUE_DEPTH)) : OptionalInt.empty();
    }

    /** A compact IPv4 (4 bytes) or IPv6 (16 bytes) address, or empty when absent or of another size. */
    private static Optional<InetAddress> address(BencodeDict dict, String key) {
        if (dict.asMap().get(key) instanceof byte[] b && (b.length == 4 || b.length == 16)) {
            try {
                return Optional.of(InetAddress.getByAddress(b));
            } catch (UnknownHostException e) {
                throw new AssertionError("4 or 16 bytes are always an address", e);
            }
        }
        return Optional.empty();
    }

    /** The first {@link #MAX_CLIENT_NAME_CHARS} chars, never ending in half a surrogate pair. */
    private static String truncate(String s) {
        if (s.length() <= MAX_CLIENT_NAME_CHARS) {
            return s;
        }
        int end = MAX_CLIENT_NAME_CHARS;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--; // cutting between the halves of an emoji left a lone surrogate, which UTF-8 cannot carry
        }
        return s.substring(0, end);
    }
}
