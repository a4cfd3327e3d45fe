package io.kadtorrent.metadata.signing;

import com.google.common.io.BaseEncoding;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A publisher's Ed25519 public key (RFC 8032, 32 bytes): what {@code --allow-key} and
 * {@code --trust} name, read from a {@code KEYFILE.pub} written by {@code kadtorrent keygen}.
 */
public final class PublisherKey {

    public static final int LENGTH = 32; // RFC 8032: Ed25519 public key size
    static final String FILE_HEADER = "kadtorrent-ed25519-public-key-v1";

    private final byte[] bytes;

    private PublisherKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of exactly 32 bytes. */
    public static PublisherKey of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("Ed25519 public key must be 32 bytes, got " + bytes.length);
        }
        return new PublisherKey(bytes.clone());
    }

    /** Reads a {@code .pub} key file. */
    public static PublisherKey read(Path pubFile) throws IOException {
        return new PublisherKey(KeyFileText.read(pubFile, FILE_HEADER, LENGTH));
    }

    /** The {@code .pub} file content for this key. */
    public String toFileText() {
        return KeyFileText.format(FILE_HEADER, bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return BaseEncoding.base16().lowerCase().encode(bytes);
    }

    /** First 16 hex digits, to name the key in messages and logs. */
    public String fingerprint() {
        return hex().substring(0, 16);
    }

    /** True when {@code signature} is this key's valid Ed25519 signature of {@code message}. */
    boolean verifies(byte[] message, byte[] signature) {
        try {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(bytes, 0));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (IllegalArgumentException e) {
            return false; // 32 bytes that are not a point on the curve: nothing verifies
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublisherKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "PublisherKey[" + fingerprint() + "]";
    }
}
