package io.kadtorrent.torrent.metainfo;

import com.google.common.io.BaseEncoding;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;

/** The 20-byte SHA-1 of a torrent's bencoded {@code info} value (BEP 3), its identity everywhere. */
public final class InfoHash implements Comparable<InfoHash> {

    public static final int LENGTH = 20; // BEP 3: SHA-1 digest size

    private final byte[] bytes;

    private InfoHash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of exactly 20 bytes. */
    public static InfoHash of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("info_hash must be 20 bytes, got " + bytes.length);
        }
        return new InfoHash(bytes.clone());
    }

    /** SHA-1 of the exact bytes of an encoded {@code info} value. */
    public static InfoHash ofInfo(byte[] encodedInfo) {
        return new InfoHash(sha1(encodedInfo, 0, encodedInfo.length));
    }

    static InfoHash ofInfo(byte[] file, int offset, int length) {
        return new InfoHash(sha1(file, offset, length));
    }

    /** Parses 40 hex digits (either case) or 32 base32 characters (BEP 9 magnet form). */
    public static InfoHash parse(String text) {
        String s = text.trim();
        try {
            if (s.length() == 40) {
                return new InfoHash(BaseEncoding.base16().decode(s.toUpperCase(Locale.ROOT)));
            }
            if (s.length() == 32) {
                return new InfoHash(BaseEncoding.base32().decode(s.toUpperCase(Locale.ROOT)));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid info_hash: " + text, e);
        }
        throw new IllegalArgumentException("info_hash must be 40 hex or 32 base32 characters: " + text);
    }

    /** True when {@code text} is 40 hex digits or 32 base32 characters. */
    public static boolean looksLikeInfoHash(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Lower-case hex, 40 characters. */
    public String hex() {
        return BaseEncoding.base16().lowerCase().encode(bytes);
    }

    /** Upper-case base32, 32 characters. */
    public String base32() {
        return BaseEncoding.base32().encode(bytes);
    }

    /** First 8 hex digits, for log lines. */
    public String shortHex() {
        return hex().substring(0, 8);
    }

    @Override
    public int compareTo(InfoHash o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InfoHash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }

    static byte[] sha1(byte[] data, int offset, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            md.update(data, offset, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
    }
}
