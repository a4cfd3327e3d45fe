package io.kadtorrent.dht.krpc;

import com.google.common.io.BaseEncoding;

import java.util.Arrays;

/** The opaque write token a get_peers reply hands out and announce_peer must return (BEP 5). */
public record Token(byte[] bytes) {

    /** Longest token we accept; BEP 5 tokens are short (ours are 8 bytes, libtorrent's 4). */
    public static final int MAX_LENGTH = 64;

    public Token {
        if (bytes.length == 0 || bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("token must be 1.." + MAX_LENGTH + " bytes");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Token t && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Token[" + BaseEncoding.base16().lowerCase().encode(bytes) + "]";
    }
}
