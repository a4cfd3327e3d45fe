package io.kadtorrent.metadata.signing;

import com.google.common.io.BaseEncoding;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.util.Arrays;

/**
 * A publisher's Ed25519 signature over a torrent. The signed message is the exact bytes of the
 * torrent's bencoded {@code info} value (the bytes whose SHA-1 is the info_hash), so the signature
 * stays valid when the metadata server rewrites {@code nodes} or other keys outside {@code info},
 * and it does not lean on SHA-1 being collision resistant.
 *
 * @param key       who signed
 * @param signature 64 bytes (RFC 8032)
 */
public record TorrentSignature(PublisherKey key, byte[] signature) {

    public static final int LENGTH = 64; // RFC 8032: Ed25519 signature size

    public TorrentSignature {
        if (signature.length != LENGTH) {
            throw new IllegalArgumentException("Ed25519 signature must be 64 bytes, got " + signature.length);
        }
        signature = signature.clone();
    }

    /** Signs the {@code info} bytes of {@code torrent}. */
    public static TorrentSignature sign(SigningKey signer, Metainfo torrent) {
        return new TorrentSignature(signer.publicKey(), signer.sign(torrent.rawInfo()));
    }

    /** True when this is {@link #key()}'s valid signature of {@code torrent}'s {@code info} bytes. */
    public boolean verifies(Metainfo torrent) {
        return key.verifies(torrent.rawInfo(), signature);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TorrentSignature s && key.equals(s.key) && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "TorrentSignature[" + key.fingerprint() + ", "
                + BaseEncoding.base16().lowerCase().encode(signature, 0, 8) + "...]";
    }
}
