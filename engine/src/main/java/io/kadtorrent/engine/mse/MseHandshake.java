package io.kadtorrent.engine.mse;

import io.kadtorrent.torrent.metainfo.InfoHash;
import org.bouncycastle.crypto.digests.SHA1Digest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * One side of a Message Stream Encryption handshake (the "MSE/PE" spec of Azureus, libtorrent and
 * Transmission), with no I/O: bytes in, bytes to send out, then an {@link MseResult}.
 * <pre>
 *   A -> B  Ya, PadA
 *   B -> A  Yb, PadB
 *   A -> B  HASH('req1', S), HASH('req2', SKEY) xor HASH('req3', S),
 *           ENCRYPT(VC, crypto_provide, len(PadC), PadC, len(IA)), ENCRYPT(IA)
 *   B -> A  ENCRYPT(VC, crypto_select, len(PadD), PadD), then the stream as selected
 * </pre>
 * Y = 2^X mod P (768-bit P, 160-bit X, 96 bytes big-endian), S = the shared DH secret, SKEY = the info_hash,
 * VC = eight zero bytes, HASH = SHA-1; A encrypts with RC4(HASH('keyA', S, SKEY)), B with keyB, both
 * dropping the first 1024 bytes of keystream. We send no IA and empty PadC/PadD; we accept the peer's
 * within the spec's bounds ({@value #MAX_PAD_BYTES} bytes of pad) and ours ({@value #MAX_INITIAL_PAYLOAD_BYTES}
 * bytes of IA), so a handshake never buffers more than 16 KiB.
 * <p>Confined to one thread; its randomness comes from the generator it is given.
 */
public final class MseHandshake {

    static final int MAX_PAD_BYTES = 512; // MSE spec: PadA..PadD are 0 to 512 bytes
    static final int VC_BYTES = 8; // MSE spec: verification constant, 8 zero bytes
    static final int HASH_BYTES = 20; // SHA-1
    /** Our cap on the initiator's initial payload (a BEP 3 handshake is 68 bytes; the format allows 64 KiB). */
    public static final int MAX_INITIAL_PAYLOAD_BYTES = 16 * 1024;

    private enum State { PEER_KEY, SYNC, SKEY, PROVIDE, PAD_C, INITIAL_PAYLOAD, SELECT, PAD_D, DONE, FAILED }

    private final boolean initiator;
    private final EncryptionPolicy policy;
    private final RandomGenerator random;
    private final InfoHash ourSkey; // initiator only
    private final SkeyIndex skeys; // responder only
    private final DhKeyPair key;

    private State state = State.PEER_KEY;
    private HandshakeBuffer in = new HandshakeBuffer();
    private byte[] secret;
    private byte[] syncPattern;
    private InfoHash skey;
    private Rc4Stream encryptor;
    private Rc4Stream decryptor;
    private int provided;
    private int selected;
    private int pendingLength; // of the pad or initial payload being read
    private byte[] initialPayload = new byte[0];
    private MseResult result;

    private MseHandshake(boolean initiator, EncryptionPolicy policy, RandomGenerator random, InfoHash ourSkey,
                         SkeyIndex skeys, DhKeyPair key) {
        if (!policy.acceptsEncrypted()) {
            throw new IllegalArgumentException("policy " + policy.label() + " never speaks MSE");
        }
        this.initiator = initiator;
        this.policy = policy;
        this.random = random;
        this.ourSkey = ourSkey;
        this.skeys = skeys;
        this.key = key;
    }

    /** The side that dialled: knows the torrent ({@code skey}) and sends first. */
    public static MseHandshake initiator(InfoHash skey, EncryptionPolicy policy, RandomGenerator random) {
        return initiator(skey, policy, random, DhKeyPair.generate(random));
    }

    /** As {@link #initiator(InfoHash, EncryptionPolicy, RandomGenerator)} with a key pair made before (fuzzing: one modPow less per input). */
    static MseHandshake initiator(InfoHash skey, EncryptionPolicy policy, RandomGenerator random, DhKeyPair key) {
        return new MseHandshake(true, policy, random, skey, null, key);
    }

    /** The side that accepted: learns the torrent from the handshake, among those in {@code skeys}. */
    public static MseHandshake responder(SkeyIndex skeys, EncryptionPolicy policy, RandomGenerator random) {
        return responder(skeys, policy, random, DhKeyPair.generate(random));
    }

    /** As {@link #responder(SkeyIndex, EncryptionPolicy, RandomGenerator)} with a key pair made before. */
    static MseHandshake responder(SkeyIndex skeys, EncryptionPolicy policy, RandomGenerator random, DhKeyPair key) {
        return new MseHandshake(false, policy, random, null, skeys, key);
    }

    /** What to send as soon as the connection is up: Ya and PadA for the initiator, nothing for the responder. */
    public byte[] start() {
        return initiator ? concat(key.publicKey(), randomPad()) : new byte[0];
    }

    /**
     * Takes bytes from {@code bytes} and returns what to send in answer, possibly nothing. Once {@link #isDone()}
     * the handshake reads no more: whatever it had already taken beyond its end comes back, decrypted, in
     * {@link MseResult#payload()}, and what is still in {@code bytes} is the peer's stream, untouched, to be
     * decrypted as the result says.
     *
     * @throws MseException when the peer's bytes break the spec or our policy; the handshake is then failed
     */
    public byte[] receive(ByteBuffer bytes) {
        if (state == State.DONE) {
            throw new IllegalStateException("the handshake is already done");
        }
        if (state == State.FAILED) {
            throw new MseException("the handshake already failed");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            while (state != State.DONE) {
                if (!step(out) && !in.fill(bytes)) {
                    break;
                }
            }
        } catch (MseException e) {
            state = State.FAILED;
            throw e;
        }
        return out.toByteArray();
    }

    /** How many bytes the handshake holds on to now, for tests of its memory bound. */
    int bufferedCapacityBytes() {
        return in == null ? 0 : in.capacityBytes();
    }

    public boolean isDone() {
        return state == State.DONE;
    }

    /** The outcome, once {@link #isDone()}. */
    public MseResult result() {
        if (result == null) {
            throw new IllegalStateException("the handshake is not done");
        }
        return result;
    }

    /** HASH('req2', SKEY): how a responder recognises the torrent asked for. */
    public static byte[] req2(InfoHash infoHash) {
        return hash("req2", infoHash.bytes());
    }

    // ---- the state machine: each step consumes one field when it has arrived, else returns false ----

    private boolean step(ByteArrayOutputStream out) {
        return switch (state) {
            case PEER_KEY -> peerKey(out);
            case SYNC -> sync(out);
            case SKEY -> skey();
            case PROVIDE -> provide();
            case PAD_C -> padC();
            case INITIAL_PAYLOAD -> initialPayload(out);
            case SELECT -> select();
            case PAD_D -> padD();
            case DONE, FAILED -> throw new IllegalStateException(state.name());
        };
    }

    /** Ya or Yb arrived: the shared secret is known; the responder answers Yb, PadB; the initiator sends message 3. */
    private boolean peerKey(ByteArrayOutputStream out) {
        if (in.available() < DhKeyPair.KEY_BYTES) {
            return false;
        }
        secret = key.sharedSecret(in.take(DhKeyPair.KEY_BYTES));
        if (initiator) {
            startCiphers(ourSkey);
            out.writeBytes(hash("req1", secret));
            out.writeBytes(xor(req2(ourSkey), hash("req3", secret)));
            ByteBuffer m = ByteBuffer.allocate(VC_BYTES + 4 + 2 + 2); // VC, crypto_provide, len(PadC) = 0, len(IA) = 0
            m.position(VC_BYTES);
            m.putInt(policy.cryptoProvide()).putShort((short) 0).putShort((short) 0);
            out.writeBytes(encryptor.applied(m.array()));
            syncPattern = decryptor.applied(new byte[VC_BYTES]); // B's first keystream bytes over VC
        } else {
            out.writeBytes(key.publicKey());
            out.writeBytes(randomPad());
            syncPattern = hash("req1", secret);
        }
        state = State.SYNC;
        return true;
    }

    /** Skips the peer's pad up to the marker: HASH('req1', S) for the responder, ENCRYPT(VC) for the initiator. */
    private boolean sync(ByteArrayOutputStream out) {
        int at = in.indexOf(syncPattern, MAX_PAD_BYTES);
        if (at >= 0) {
            in.skip(at + syncPattern.length);
            state = initiator ? State.SELECT : State.SKEY;
            return true;
        }
        if (in.available() >= MAX_PAD_BYTES + syncPattern.length) {
            throw new MseException(initiator ? "no encrypted VC within " + MAX_PAD_BYTES + " bytes of pad"
                    : "no HASH('req1', S) within " + MAX_PAD_BYTES + " bytes of pad (not an MSE peer?)");
        }
        return false;
    }

    private boolean skey() {
        if (in.available() < HASH_BYTES) {
            return false;
        }
        byte[] req2 = xor(in.take(HASH_BYTES), hash("req3", secret));
        InfoHash found = skeys.find(req2)
                .orElseThrow(() -> new MseException("encrypted handshake for a torrent we do not serve"));
        startCiphers(found);
        state = State.PROVIDE;
        return true;
    }

    private boolean provide() {
        if (in.available() < VC_BYTES + 4 + 2) {
            return false;
        }
        ByteBuffer m = ByteBuffer.wrap(decrypt(VC_BYTES + 4 + 2));
        checkVc(m);
        provided = m.getInt();
        pendingLength = Short.toUnsignedInt(m.getShort());
        checkPad(pendingLength, "PadC");
        selected = policy.cryptoSelect(provided);
        if (selected == 0) {
            throw new MseException("peer offers crypto_provide 0x" + Integer.toHexString(provided)
                    + ", none allowed by policy " + policy.label());
        }
        state = State.PAD_C;
        return true;
    }

    private boolean padC() {
        if (in.available() < pendingLength + 2) {
            return false;
        }
        decrypt(pendingLength);
        pendingLength = Short.toUnsignedInt(ByteBuffer.wrap(decrypt(2)).getShort());
        if (pendingLength > MAX_INITIAL_PAYLOAD_BYTES) {
            throw new MseException("initial payload of " + pendingLength + " bytes (we take up to "
                    + MAX_INITIAL_PAYLOAD_BYTES + ")");
        }
        in.ensureCapacity(pendingLength);
        state = State.INITIAL_PAYLOAD;
        return true;
    }

    /** The responder has all it needs: answers ENCRYPT(VC, crypto_select, len(PadD) = 0). */
    private boolean initialPayload(ByteArrayOutputStream out) {
        if (in.available() < pendingLength) {
            return false;
        }
        initialPayload = decrypt(pendingLength); // MSE spec: IA is RC4 even when plain text is selected
        ByteBuffer m = ByteBuffer.allocate(VC_BYTES + 4 + 2);
        m.position(VC_BYTES);
        m.putInt(selected).putShort((short) 0);
        out.writeBytes(encryptor.applied(m.array()));
        finish();
        return true;
    }

    private boolean select() {
        if (in.available() < 4 + 2) {
            return false;
        }
        ByteBuffer m = ByteBuffer.wrap(decrypt(4 + 2));
        selected = m.getInt();
        provided = policy.cryptoProvide();
        if (Integer.bitCount(selected) != 1 || (selected & provided) == 0) {
            throw new MseException("peer selected crypto 0x" + Integer.toHexString(selected) + ", we offered 0x"
                    + Integer.toHexString(provided));
        }
        pendingLength = Short.toUnsignedInt(m.getShort());
        checkPad(pendingLength, "PadD");
        state = State.PAD_D;
        return true;
    }

    private boolean padD() {
        if (in.available() < pendingLength) {
            return false;
        }
        decrypt(pendingLength);
        finish();
        return true;
    }

    private void finish() {
        boolean rc4 = selected == EncryptionPolicy.CRYPTO_RC4;
        byte[] rest = in.take(in.available());
        if (rc4) {
            decryptor.apply(rest, 0, rest.length);
        }
        result = new MseResult(skey, provided, rc4 ? encryptor : null, rc4 ? decryptor : null,
                concat(initialPayload, rest));
        state = State.DONE;
        in = null;
    }

    // ---- helpers ----

    private void startCiphers(InfoHash key) {
        skey = key;
        Rc4Stream a = new Rc4Stream(hash("keyA", secret, key.bytes()));
        Rc4Stream b = new Rc4Stream(hash("keyB", secret, key.bytes()));
        encryptor = initiator ? a : b;
        decryptor = initiator ? b : a;
    }

    private static void checkVc(ByteBuffer m) {
        for (int i = 0; i < VC_BYTES; i++) {
            if (m.get() != 0) {
                throw new MseException("wrong verification constant (not the same keys)");
            }
        }
    }

    private static void checkPad(int length, String name) {
        if (length > MAX_PAD_BYTES) {
            throw new MseException(name + " of " + length + " bytes (the spec allows " + MAX_PAD_BYTES + ")");
        }
    }

    private byte[] decrypt(int n) {
        byte[] out = in.take(n);
        decryptor.apply(out, 0, n);
        return out;
    }

    private byte[] randomPad() {
        byte[] pad = new byte[random.nextInt(MAX_PAD_BYTES + 1)];
        random.nextBytes(pad);
        return pad;
    }

    static byte[] hash(String label, byte[]... parts) {
        SHA1Digest d = new SHA1Digest();
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        d.update(l, 0, l.length);
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[HASH_BYTES];
        d.doFinal(out, 0);
        return out;
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public String toString() {
        return "MseHandshake[" + (initiator ? "initiator" : "responder") + ", " + state + "]";
    }
}
