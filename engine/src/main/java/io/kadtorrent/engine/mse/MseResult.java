package io.kadtorrent.engine.mse;

import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.Optional;

/**
 * How an MSE handshake ended: the torrent it was for, and either an RC4 stream for each direction or
 * plain text from here on. {@link #payload()} is the start of the peer's stream that the handshake had
 * already read (the initial payload IA, and anything after it), decrypted.
 */
public final class MseResult {

    private final InfoHash infoHash;
    private final int provided;
    private final Rc4Stream encryptor;
    private final Rc4Stream decryptor;
    private final byte[] payload;

    MseResult(InfoHash infoHash, int provided, Rc4Stream encryptor, Rc4Stream decryptor, byte[] payload) {
        this.infoHash = infoHash;
        this.provided = provided;
        this.encryptor = encryptor;
        this.decryptor = decryptor;
        this.payload = payload;
    }

    public InfoHash infoHash() {
        return infoHash;
    }

    /** True when the stream goes on in RC4; false when the peers chose plain text after the handshake. */
    public boolean isRc4() {
        return encryptor != null;
    }

    /** The crypto_provide bits of the initiator (ours when we dialled), for logs. */
    public int provided() {
        return provided;
    }

    /** Encrypts what we send, when {@link #isRc4()}. */
    public Optional<Rc4Stream> encryptor() {
        return Optional.ofNullable(encryptor);
    }

    /** Decrypts what the peer sends, when {@link #isRc4()}. */
    public Optional<Rc4Stream> decryptor() {
        return Optional.ofNullable(decryptor);
    }

    public byte[] payload() {
        return payload.clone();
    }
}
