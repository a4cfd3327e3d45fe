package io.kadtorrent.dht.items;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Ed25519 (RFC 8032) signing and verification for BEP 44 items; the dht module's one user of Bouncy Castle. */
public final class Ed25519 {

    public static final int PUBLIC_KEY_BYTES = 32;  // RFC 8032
    public static final int PRIVATE_KEY_BYTES = 32; // RFC 8032: the seed the key pair derives from
    public static final int SIGNATURE_BYTES = 64;   // RFC 8032

    private Ed25519() {
    }

    /** The public key of the private key (seed) {@code privateKey}. */
    public static byte[] publicKey(byte[] privateKey) {
        return new Ed25519PrivateKeyParameters(checked(privateKey, PRIVATE_KEY_BYTES, "private key"), 0)
                .generatePublicKey().getEncoded();
    }

    public static byte[] sign(byte[] privateKey, byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, new Ed25519PrivateKeyParameters(checked(privateKey, PRIVATE_KEY_BYTES, "private key"), 0));
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** True when {@code signature} is {@code publicKey}'s valid signature of {@code message}; false for malformed keys. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != PUBLIC_KEY_BYTES || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (IllegalArgumentException e) {
            return false; // 32 bytes that are not a point on the curve: nothing verifies
        }
    }

    private static byte[] checked(byte[] key, int length, String what) {
        if (key.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes, got " + key.length);
        }
        return key;
    }
}
