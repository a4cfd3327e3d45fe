package io.kadtorrent.engine.mse;

import java.util.List;
import java.util.Locale;

/**
 * Whether a session speaks Message Stream Encryption (MSE/PE), in the four levels common clients offer.
 * Incoming plain-text and encrypted connections share one listening port either way.
 * <pre>
 *   policy    dials                          accepts            offers (crypto_provide) / picks (crypto_select)
 *   disabled  plain only                     plain only         never speaks MSE
 *   enabled   plain, then MSE if that fails  plain and MSE      plain + RC4 / plain when offered, else RC4
 *   prefer    MSE, then plain if that fails  plain and MSE      plain + RC4 / RC4 when offered, else plain
 *   require   MSE only                       MSE only           RC4 only    / RC4 only
 * </pre>
 * {@code prefer} is the default, as in Transmission, qBittorrent and libtorrent.
 */
public enum EncryptionPolicy {
    DISABLED, ENABLED, PREFER, REQUIRE;

    /** MSE spec: crypto_provide / crypto_select bit for the plain-text stream after the handshake. */
    public static final int CRYPTO_PLAINTEXT = 0x01;
    /** MSE spec: crypto_provide / crypto_select bit for RC4 over the whole stream. */
    public static final int CRYPTO_RC4 = 0x02;

    /** Parses {@code disabled | enabled | prefer | require}, ignoring case. */
    public static EncryptionPolicy parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("encryption policy must be one of disabled, enabled, prefer, require: "
                    + name);
        }
    }

    /** The lower-case name the CLI and the daemon's settings use. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** How an outgoing connection is tried: in order, true meaning an MSE handshake, false plain text. */
    public List<Boolean> dialAttempts() {
        return switch (this) {
            case DISABLED -> List.of(false);
            case ENABLED -> List.of(false, true);
            case PREFER -> List.of(true, false);
            case REQUIRE -> List.of(true);
        };
    }

    /** True when a peer may open with a plain BEP 3 handshake. */
    public boolean acceptsPlainText() {
        return this != REQUIRE;
    }

    /** True when a peer may open with an MSE handshake. */
    public boolean acceptsEncrypted() {
        return this != DISABLED;
    }

    /** What we offer as the initiator (crypto_provide). */
    int cryptoProvide() {
        return this == REQUIRE ? CRYPTO_RC4 : CRYPTO_PLAINTEXT | CRYPTO_RC4;
    }

    /** What we pick as the responder from the peer's {@code provided} methods; 0 when none is acceptable. */
    int cryptoSelect(int provided) {
        boolean rc4 = (provided & CRYPTO_RC4) != 0;
        boolean plain = (provided & CRYPTO_PLAINTEXT) != 0;
        return switch (this) {
            case DISABLED -> 0;
            case ENABLED -> plain ? CRYPTO_PLAINTEXT : rc4 ? CRYPTO_RC4 : 0;
            case PREFER -> rc4 ? CRYPTO_RC4 : plain ? CRYPTO_PLAINTEXT : 0;
            case REQUIRE -> rc4 ? CRYPTO_RC4 : 0;
        };
    }
}
