package io.kadtorrent.dht.items;

/** What a storing node makes of a BEP 44 put; every refusal carries the error code to answer with. */
public enum PutOutcome {
    STORED(0, "stored"),
    TOO_BIG(205, "message (v field) too big"),          // BEP 44
    INVALID_SIGNATURE(206, "invalid signature"),        // BEP 44
    SALT_TOO_BIG(207, "salt (salt field) too big"),     // BEP 44
    CAS_MISMATCH(301, "the CAS hash mismatched, re-read value and try again"), // BEP 44
    SEQ_TOO_LOW(302, "sequence number less than current"),                    // BEP 44
    FULL(202, "item storage full");                     // BEP 5 Server Error: over our caps

    private final int code;
    private final String message;

    PutOutcome(int code, String message) {
        this.code = code;
        this.message = message;
    }

    /** The KRPC error code (BEP 44 / BEP 5); 0 for {@link #STORED}. */
    public int code() {
        return code;
    }

    public String message() {
        return message;
    }
}
