package io.kadtorrent.metadata.protocol;

import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeDict;
import io.kadtorrent.torrent.bencode.BencodeFieldException;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.bencode.InvalidBencodeException;

/**
 * The decoded dictionary of one frame plus its request id, with field errors turned into
 * {@link MetadataProtocolException}s that carry that id. Shared by both codecs.
 */
record FrameDict(BencodeDict dict, long id) {

    /** Most values (of any kind) in one frame: a 1,000-entry page has about 6,000. */
    static final int MAX_ITEMS = 20_000;
    /** Deepest nesting a frame needs: response > torrents > entry. */
    static final int MAX_DEPTH = 8;

    static FrameDict decode(byte[] frame) throws MetadataProtocolException {
        BencodeLimits limits = BencodeLimits.of(Math.max(1, frame.length), MAX_DEPTH, MAX_ITEMS);
        BencodeDict dict;
        try {
            dict = BencodeCodec.decodeDictionary(frame, limits).dict();
        } catch (InvalidBencodeException e) {
            throw MetadataProtocolException.malformedFrame("frame is not a bencoded dictionary: " + e.getMessage());
        }
        long id;
        try {
            id = dict.integer("id");
        } catch (BencodeFieldException e) {
            throw MetadataProtocolException.malformedFrame(e.getMessage());
        }
        if (id < 0) {
            throw MetadataProtocolException.malformedFrame("id must be >= 0");
        }
        return new FrameDict(dict, id);
    }

    MetadataProtocolException error(ErrorCode code, String message) {
        return new MetadataProtocolException(id, code, message);
    }

    MetadataProtocolException error(BencodeFieldException e) {
        return new MetadataProtocolException(id, ErrorCode.BAD_REQUEST, e.getMessage());
    }

    MetadataProtocolException error(IllegalArgumentException e) {
        return new MetadataProtocolException(id, ErrorCode.BAD_REQUEST, e.getMessage());
    }

    /** An optional integer field that must fit an int in {@code [min, max]}. */
    int intOr(String key, int fallback, int min, int max) throws MetadataProtocolException {
        try {
            Long v = dict.integerOrNull(key);
            if (v == null) {
                return fallback;
            }
            if (v < min || v > max) {
                throw error(ErrorCode.BAD_REQUEST, key + " must be " + min + ".." + max);
            }
            return v.intValue();
        } catch (BencodeFieldException e) {
            throw error(e);
        }
    }

    String utf8(String key) throws MetadataProtocolException {
        try {
            return dict.utf8(key);
        } catch (BencodeFieldException e) {
            throw error(e);
        }
    }

    byte[] bytes(String key) throws MetadataProtocolException {
        try {
            return dict.bytes(key);
        } catch (BencodeFieldException e) {
            throw error(e);
        }
    }
}
