package io.kadtorrent.metadata.signing;

import com.google.common.io.BaseEncoding;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * A publisher's Ed25519 signature asking a metadata server to remove one of its torrents.
 * The signed message is
 * <pre>
 *   "kadtorrent-unpublish-v1" (23 ASCII bytes) | info_hash (20 bytes) | time (8 bytes, big-endian unix seconds)
 * </pre>
 * It can never be taken for a publish signature or the other way round: a publish signs the
 * bencoded {@code info} dictionary, which starts with {@code 'd'}, this message starts with
 * {@code 'k'}. The time bounds how long a captured request can be replayed (the server accepts
 * it within {@link #MAX_CLOCK_SKEW} of its own clock).
 *
 * @param key         who signed (must be the torrent's publisher)
 * @param infoHash    the torrent to remove
 * @param timeSeconds when it was signed, unix seconds
 * @param signature   64 bytes (RFC 8032)
 */
public record UnpublishSignature(PublisherKey key, InfoHash infoHash, long timeSeconds, byte[] signature) {

    /** Domain separation prefix of the signed message. */
    static final byte[] CONTEXT = "kadtorrent-unpublish-v1".getBytes(StandardCharsets.US_ASCII);
    /** How far the signed time may be from the server's clock, either way. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);

    public UnpublishSignature {
        if (signature.length != TorrentSignature.LENGTH) {
            throw new IllegalArgumentException("Ed25519 signature must be 64 bytes, got " + signature.length);
        }
        signature = signature.clone();
    }

    /** Signs the removal of {@code infoHash} at {@code now}. */
    public static UnpublishSignature sign(SigningKey signer, InfoHash infoHash, Instant now) {
        long time = now.getEpochSecond();
        return new UnpublishSignature(signer.publicKey(), infoHash, time, signer.sign(message(infoHash, time)));
    }

    /** The exact bytes signed for {@code infoHash} at {@code timeSeconds}. */
    public static byte[] message(InfoHash infoHash, long timeSeconds) {
        return ByteBuffer.allocate(CONTEXT.length + InfoHash.LENGTH + Long.BYTES)
                .put(CONTEXT).put(infoHash.bytes()).putLong(timeSeconds).array();
    }

    /** True when this is {@link #key()}'s valid signature of the message for its info_hash and time. */
    public boolean verifies() {
        return key.verifies(message(infoHash, timeSeconds), signature);
    }

    /** True when the signed time is within {@link #MAX_CLOCK_SKEW} of {@code now}, before or after. */
    public boolean isFresh(Instant now) {
        // Compared this way round so a hostile time near Long.MIN_VALUE/MAX_VALUE cannot overflow.
        long nowSeconds = now.getEpochSecond();
        long skew = MAX_CLOCK_SKEW.toSeconds();
        return timeSeconds >= nowSeconds - skew && timeSeconds <= nowSeconds + skew;
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnpublishSignature s && key.equals(s.key) && infoHash.equals(s.infoHash)
                && timeSeconds == s.timeSeconds && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return (key.hashCode() * 31 + infoHash.hashCode()) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "UnpublishSignature[" + key.fingerprint() + ", " + infoHash.shortHex() + ", t=" + timeSeconds + ", "
                + BaseEncoding.base16().lowerCase().encode(signature, 0, 8) + "...]";
    }
}
