package io.kadtorrent.torrent.bencode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A typed, read-only view of one decoded bencoded dictionary. Every accessor names the dotted
 * field path in its {@link BencodeFieldException}, so callers can report "info.piece length must
 * be an integer" without writing the type checks themselves.
 *
 * <p>Values are {@code byte[]} (byte strings), {@code Long}, {@code List<Object>} and
 * {@code Map<String, Object>}; keys are byte strings read as ISO-8859-1, which maps bytes to
 * chars one to one.
 */
public final class BencodeDict {

    private final Map<String, Object> map;
    private final String path;

    BencodeDict(Map<String, Object> map, String path) {
        this.map = Collections.unmodifiableMap(map);
        this.path = path;
    }

    /** Wraps a decoded map (as produced by {@link BencodeCodec}); {@code path} prefixes field names. */
    public static BencodeDict of(Map<String, Object> map, String path) {
        return new BencodeDict(map, path);
    }

    public boolean has(String key) {
        return map.containsKey(key);
    }

    public Set<String> keys() {
        return map.keySet();
    }

    /** The underlying decoded map, read-only. */
    public Map<String, Object> asMap() {
        return map;
    }

    /** Dotted path of a key of this dictionary, for messages. */
    public String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The byte string at {@code key}, or null when absent. The array is shared: do not modify it. */
    public byte[] bytesOrNull(String key) throws BencodeFieldException {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return b;
        }
        throw new BencodeFieldException(field(key), "must be a byte string");
    }

    public byte[] bytes(String key) throws BencodeFieldException {
        return required(key, bytesOrNull(key));
    }

    /** The byte string at {@code key} decoded as UTF-8, or null when absent. */
    public String utf8OrNull(String key) throws BencodeFieldException {
        byte[] b = bytesOrNull(key);
        return b == null ? null : new String(b, UTF_8);
    }

    public String utf8(String key) throws BencodeFieldException {
        return new String(bytes(key), UTF_8);
    }

    public Long integerOrNull(String key) throws BencodeFieldException {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Long l) {
            return l;
        }
        throw new BencodeFieldException(field(key), "must be an integer");
    }

    public long integer(String key) throws BencodeFieldException {
        return required(key, integerOrNull(key));
    }

    @SuppressWarnings("unchecked")
    public BencodeDict dictOrNull(String key) throws BencodeFieldException {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> m) {
            return new BencodeDict((Map<String, Object>) m, field(key));
        }
        throw new BencodeFieldException(field(key), "must be a dictionary");
    }

    public BencodeDict dict(String key) throws BencodeFieldException {
        return required(key, dictOrNull(key));
    }

    @SuppressWarnings("unchecked")
    public List<Object> listOrNull(String key) throws BencodeFieldException {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new BencodeFieldException(field(key), "must be a list");
    }

    public List<Object> list(String key) throws BencodeFieldException {
        return required(key, listOrNull(key));
    }

    /** The list at {@code key} as dictionaries, or an empty list when absent. */
    @SuppressWarnings("unchecked")
    public List<BencodeDict> dictList(String key) throws BencodeFieldException {
        List<Object> items = listOrNull(key);
        if (items == null) {
            return List.of();
        }
        List<BencodeDict> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> m)) {
                throw new BencodeFieldException(field(key) + "[" + i + "]", "must be a dictionary");
            }
            out.add(new BencodeDict((Map<String, Object>) m, field(key) + "[" + i + "]"));
        }
        return out;
    }

    private <T> T required(String key, T value) throws BencodeFieldException {
        if (value == null) {
            throw new BencodeFieldException(field(key), "is missing");
        }
        return value;
    }

    @Override
    public String toString() {
        return "BencodeDict" + map.keySet();
    }
}
