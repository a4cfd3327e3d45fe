package io.kadtorrent.metadata.signing;

import java.nio.charset.StandardCharsets;

/**
 * A publisher's Ed25519 signature over the body of its DHT catalog (see {@code docs/catalog.md}).
 * The signed message is
 * <pre>
 *   "kadtorrent-catalog-v1" (21 ASCII bytes) | the exact bencoded bytes of the catalog's "catalog" value
 * </pre>
 * The prefix keeps it apart from the other two things a publisher key signs: a torrent's {@code info}
 * dictionary (which starts with {@code 'd'}) and an unpublish request ({@code "kadtorrent-unpublish-v1"}).
 */
public final class CatalogSignature {

    /** Domain separation prefix of the signed message. */
    static final byte[] CONTEXT = "kadtorrent-catalog-v1".getBytes(StandardCharsets.US_ASCII);

    private CatalogSignature() {
    }

    /** Signs {@code body}, the encoded catalog value; 64 bytes. */
    public static byte[] sign(SigningKey signer, byte[] body) {
        return signer.sign(message(body));
    }

    /** True when {@code signature} is {@code key}'s valid signature of {@code body}. */
    public static boolean verifies(PublisherKey key, byte[] body, byte[] signature) {
        return signature.length == TorrentSignature.LENGTH && key.verifies(message(body), signature);
    }

    private static byte[] message(byte[] body) {
        byte[] m = new byte[CONTEXT.length + body.length];
        System.arraycopy(CONTEXT, 0, m, 0, CONTEXT.length);
        System.arraycopy(body, 0, m, CONTEXT.length, body.length);
        return m;
    }
}
