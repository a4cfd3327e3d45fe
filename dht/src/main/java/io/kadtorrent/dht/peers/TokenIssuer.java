package io.kadtorrent.dht.peers;

import io.kadtorrent.dht.krpc.Token;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Write tokens for announce_peer (BEP 5): SHA-1 of a secret and the requester's IP, cut to 8
 * bytes. The secret rotates every 5 minutes and the previous one is still accepted, so a token
 * stays valid 5 to 10 minutes and only for the IP it was issued to.
 */
public final class TokenIssuer {

    static final long ROTATE_EVERY_MILLIS = 5 * 60_000L; // BEP 5 suggests changing the secret every 5 minutes
    static final int TOKEN_BYTES = 8;
    private static final int SECRET_BYTES = 16;

    private final RandomGenerator random;
    private byte[] current;
    private byte[] previous;
    private long nextRotationMillis;

    public TokenIssuer(RandomGenerator random, long nowMillis) {
        this.random = random;
        this.current = freshSecret();
        this.previous = freshSecret();
        this.nextRotationMillis = nowMillis + ROTATE_EVERY_MILLIS;
    }

    /** Rotates the secret when its 5 minutes are up; call from the engine's timer. */
    public void rotateIfDue(long nowMillis) {
        if (nowMillis >= nextRotationMillis) {
            previous = current;
            current = freshSecret();
            nextRotationMillis = nowMillis + ROTATE_EVERY_MILLIS;
        }
    }

    public long nextRotationMillis() {
        return nextRotationMillis;
    }

    public Token issue(InetAddress requester) {
        return new Token(tokenFor(current, requester));
    }

    /** True if {@code token} was issued to {@code requester} under the current or the previous secret. */
    public boolean isValid(Token token, InetAddress requester) {
        byte[] t = token.bytes();
        return MessageDigest.isEqual(t, tokenFor(current, requester))
                || MessageDigest.isEqual(t, tokenFor(previous, requester));
    }

    private byte[] freshSecret() {
        byte[] s = new byte[SECRET_BYTES];
        random.nextBytes(s);
        return s;
    }

    private static byte[] tokenFor(byte[] secret, InetAddress requester) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(secret);
            sha1.update(requester.getAddress());
            return Arrays.copyOf(sha1.digest(), TOKEN_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
    }
}
