package io.kadtorrent.engine.mse;

import io.kadtorrent.torrent.metainfo.InfoHash;
import org.bouncycastle.crypto.digests.SHA1Digest;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
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
 * bytes of IA), so a handshake never buffers more than about 17 KiB.
 * <p>Confined to one thread; its randomness comes from the generator it is given.
 */
public final class MseHandshake {

    /** MSE spec: the 768-bit prime P. */
    static final BigInteger P = new BigInteger("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
            + "29024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
            + "E485B576625E7EC6F44C42E9A63A36210000000000090563", 16);
    static final BigInteger G = BigInteger.TWO; // MSE spec: generator 2
    static final int KEY_BYTES = 96; // MSE spec: Ya, Yb and S are 768 bits
    static final int PRIVATE_KEY_BYTES = 20; // MSE spec: 160-bit private keys
    static final int MAX_PAD_BYTES = 512; // MSE spec: PadA..PadD are 0 to 512 bytes
    static final int VC_BYTES = 8; // MSE spec: verification constant, 8 zero bytes
    static final int HASH_BYTES = 20; // SHA-1
    /** Our cap on the initiator's initial payload (a BEP 3 handshake is 68 bytes; the format allows 64 KiB). */
    public static final int MAX_INITIAL_PAYLOAD_BYTES = 16 * 1024;
    private static final int INITIAL_BUFFER_BYTES = 1024; // > the longest scan, 512 + 20

    private enum State { PEER_KEY, SYNC, SKEY, PROVIDE, PAD_C, INITIAL_PAYLOAD, SELECT, PAD_D, DONE, FAILED }

    private final boolean initiator;
    private final EncryptionPolicy policy;
    private final RandomGenerator random;
    private final InfoHash ourSkey; // initiator only
    private final SkeyIndex skeys; // responder only
    private final BigInteger privateKey;
    private final byte[] publicKey;

    private State state = State.PEER_KEY;
    private byte[] buf = new byte[INITIAL_BUFFER_BYTES];
    private int start;
    private int end;
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
                         SkeyIndex skeys) {
        if (!policy.acceptsEncrypted()) {
            throw new IllegalArgumentException("policy " + policy.label() + " never speaks MSE");
        }
        this.initiator = initiator;
        this.policy = policy;
        this.random = random;
        this.ourSkey = ourSkey;
        this.skeys = skeys;
        byte[] x = new byte[PRIVATE_KEY_BYTES];
        random.nextBytes(x);
        this.privateKey = new BigInteger(1, x);
        this.publicKey = toKeyBytes(G.modPow(privateKey, P));
    }

    /** The side that dialled: knows the torrent ({@code skey}) and sends first. */
    public static MseHandshake initiator(InfoHash skey, EncryptionPolicy policy, RandomGenerator random) {
        return new MseHandshake(true, policy, random, skey, null);
    }

    /** The side that accepted: learns the torrent from the handshake, among those in {@code skeys}. */
    public static MseHandshake responder(SkeyIndex skeys, EncryptionPolicy policy, RandomGenerator random) {
        return new MseHandshake(false, policy, random, null, skeys);
    }

    /** What to send as soon as the connection is up: Ya and PadA for the initiator, nothing for the responder. */
    public byte[] start() {
        return initiator ? concat(publicKey, randomPad()) : new byte[0];
    }

    /**
     * Takes bytes from {@code in} and returns what to send in answer, possibly nothing. Once {@link #isDone()}
     * the handshake reads no more: whatever it had already taken beyond its end comes back, decrypted, in
     * {@link MseResult#payload()}, and what is still in {@code in} is the peer's stream, untouched, to be
     * decrypted as the result says.
     *
     * @throws MseException when the peer's bytes break the spec or our policy; the handshake is then failed
     */
    public byte[] receive(ByteBuffer in) {
        if (state == State.DONE) {
            throw new IllegalStateException("the handshake is already done");
        }
        if (state == State.FAILED) {
            throw new MseException("the handshake already failed");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            while (state != State.DONE) {
                if (!step(out) && !fill(in)) {
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
        return buf == null ? 0 : buf.length;
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
        if (available() < KEY_BYTES) {
            return false;
        }
        BigInteger y = new BigInteger(1, take(KEY_BYTES));
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(P.subtract(BigInteger.ONE)) >= 0) {
            throw new MseException("degenerate DH public key");
        }
        secret = toKeyBytes(y.modPow(privateKey, P));
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
            out.writeBytes(publicKey);
            out.writeBytes(randomPad());
            syncPattern = hash("req1", secret);
        }
        state = State.SYNC;
        return true;
    }

    /** Skips the peer's pad up to the marker: HASH('req1', S) for the responder, ENCRYPT(VC) for the initiator. */
    private boolean sync(ByteArrayOutputStream out) {
        int n = available();
        int last = Math.min(n - syncPattern.length, MAX_PAD_BYTES);
        for (int i = 0; i <= last; i++) {
            if (Arrays.equals(buf, start + i, start + i + syncPattern.length, syncPattern, 0, syncPattern.length)) {
                start += i + syncPattern.length;
                state = initiator ? State.SELECT : State.SKEY;
                return true;
            }
        }
        if (n >= MAX_PAD_BYTES + syncPattern.length) {
            throw new MseException(initiator ? "no encrypted VC within " + MAX_PAD_BYTES + " bytes of pad"
                    : "no HASH('req1', S) within " + MAX_PAD_BYTES + " bytes of pad (not an MSE peer?)");
        }
        return false;
    }

    private boolean skey() {
        if (available() < HASH_BYTES) {
            return false;
        }
        byte[] req2 = xor(take(HASH_BYTES), hash("req3", secret));
        InfoHash found = skeys.find(req2)
                .orElseThrow(() -> new MseException("encrypted handshake for a torrent we do not serve"));
        startCiphers(found);
        state = State.PROVIDE;
        return true;
    }

    private boolean provide() {
        if (available() < VC_BYTES + 4 + 2) {
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
        if (available() < pendingLength + 2) {
            return false;
        }
        decrypt(pendingLength);
        pendingLength = Short.toUnsignedInt(ByteBuffer.wrap(decrypt(2)).getShort());
        if (pendingLength > MAX_INITIAL_PAYLOAD_BYTES) {
            throw new MseException("initial payload of " + pendingLength + " bytes (we take up to "
                    + MAX_INITIAL_PAYLOAD_BYTES + ")");
        }
        ensureCapacity(pendingLength);
        state = State.INITIAL_PAYLOAD;
        return true;
    }

    /** The responder has all it needs: answers ENCRYPT(VC, crypto_select, len(PadD) = 0). */
    private boolean initialPayload(ByteArrayOutputStream out) {
        if (available() < pendingLength) {
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
        if (available() < 4 + 2) {
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
        if (available() < pendingLength) {
            return false;
        }
        decrypt(pendingLength);
        finish();
        return true;
    }

    private void finish() {
        boolean rc4 = selected == EncryptionPolicy.CRYPTO_RC4;
        byte[] rest = take(available());
        if (rc4) {
            decryptor.apply(rest, 0, rest.length);
        }
        result = new MseResult(skey, provided, rc4 ? encryptor : null, rc4 ? decryptor : null,
                concat(initialPayload, rest));
        state = State.DONE;
        buf = null;
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

    /** Copies what fits of {@code in} into the buffer; false when nothing could be copied. */
    private boolean fill(ByteBuffer in) {
        if (!in.hasRemaining()) {
            return false;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        int n = Math.min(in.remaining(), buf.length - end);
        if (n == 0) {
            throw new IllegalStateException("buffer full in state " + state); // every state needs less than it holds
        }
        in.get(buf, end, n);
        end += n;
        return true;
    }

    private void ensureCapacity(int fieldBytes) {
        if (buf.length < fieldBytes) {
            buf = Arrays.copyOfRange(buf, 0, fieldBytes);
        }
    }

    private int available() {
        return end - start;
    }

    private byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buf, start, start + n);
        start += n;
        return out;
    }

    private byte[] decrypt(int n) {
        byte[] out = take(n);
        decryptor.apply(out, 0, n);
        return out;
    }

    private byte[] randomPad() {
        byte[] pad = new byte[random.nextInt(MAX_PAD_BYTES + 1)];
        random.nextBytes(pad);
        return pad;
    }

    private static byte[] toKeyBytes(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[KEY_BYTES];
        int n = Math.min(raw.length, KEY_BYTES); // toByteArray may add a leading sign byte
        System.arraycopy(raw, raw.length - n, out, KEY_BYTES - n, n);
        return out;
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
