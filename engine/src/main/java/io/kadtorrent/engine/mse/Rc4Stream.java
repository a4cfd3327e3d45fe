package io.kadtorrent.engine.mse;

import org.bouncycastle.crypto.engines.RC4Engine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * One direction of an MSE connection's RC4 stream (Bouncy Castle's {@link RC4Engine}), keyed with
 * HASH('keyA', S, SKEY) or HASH('keyB', S, SKEY), its first 1024 bytes of keystream discarded as the
 * MSE spec says. Not thread-safe: each direction of a connection owns one.
 */
public final class Rc4Stream {

    /** MSE spec: "RC4-drop1024", the first 1 KiB of keystream is thrown away. */
    static final int DISCARD_BYTES = 1024;

    private final RC4Engine engine = new RC4Engine();

    Rc4Stream(byte[] key) {
        engine.init(true, new KeyParameter(key));
        byte[] discard = new byte[DISCARD_BYTES];
        engine.processBytes(discard, 0, discard.length, discard, 0);
    }

    /** Encrypts or decrypts (the same operation) {@code length} bytes of {@code buf} from {@code offset}, in place. */
    public void apply(byte[] buf, int offset, int length) {
        engine.processBytes(buf, offset, length, buf, offset);
    }

    /** A processed copy of {@code bytes}. */
    byte[] applied(byte[] bytes) {
        byte[] out = bytes.clone();
        apply(out, 0, out.length);
        return out;
    }
}
