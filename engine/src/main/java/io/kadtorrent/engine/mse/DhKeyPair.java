package io.kadtorrent.engine.mse;

import java.math.BigInteger;
import java.util.random.RandomGenerator;

/**
 * One side's Diffie-Hellman key for an MSE handshake: X is 160 random bits, Y = 2^X mod P, and the shared
 * secret S = Yother^X mod P; Y and S travel as 96-byte big-endian numbers (MSE spec).
 */
final class DhKeyPair {

    /** MSE spec: the 768-bit prime P. */
    static final BigInteger P = new BigInteger("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
            + "29024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
            + "E485B576625E7EC6F44C42E9A63A36210000000000090563", 16);
    static final BigInteger G = BigInteger.TWO; // MSE spec: generator 2
    static final int KEY_BYTES = 96; // MSE spec: Ya, Yb and S are 768 bits
    static final int PRIVATE_KEY_BYTES = 20; // MSE spec: 160-bit private keys

    private final BigInteger privateKey;
    private final byte[] publicKey;

    private DhKeyPair(BigInteger privateKey) {
        this.privateKey = privateKey;
        this.publicKey = toKeyBytes(G.modPow(privateKey, P));
    }

    static DhKeyPair generate(RandomGenerator random) {
        byte[] x = new byte[PRIVATE_KEY_BYTES];
        random.nextBytes(x);
        return new DhKeyPair(new BigInteger(1, x));
    }

    /** Y, 96 bytes. */
    byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * S from the peer's 96-byte Y.
     *
     * @throws MseException when Y is 0, 1, P - 1 or beyond: a degenerate key that would fix S
     */
    byte[] sharedSecret(byte[] peerPublicKey) {
        BigInteger y = new BigInteger(1, peerPublicKey);
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(P.subtract(BigInteger.ONE)) >= 0) {
            throw new MseException("degenerate DH public key");
        }
        return toKeyBytes(y.modPow(privateKey, P));
    }

    private static byte[] toKeyBytes(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[KEY_BYTES];
        int n = Math.min(raw.length, KEY_BYTES); // toByteArray may add a leading sign byte
        System.arraycopy(raw, raw.length - n, out, KEY_BYTES - n, n);
        return out;
    }
}
