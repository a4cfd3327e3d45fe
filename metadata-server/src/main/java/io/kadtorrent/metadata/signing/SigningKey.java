package io.kadtorrent.metadata.signing;

import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.dht.items.MutableItem;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * A publisher's Ed25519 private key (the 32-byte RFC 8032 seed), made by {@code kadtorrent keygen}
 * and kept in a file readable only by its owner. Never leaves this package except as signatures.
 */
public final class SigningKey {

    static final String FILE_HEADER = "kadtorrent-ed25519-private-key-v1";

    private final Ed25519PrivateKeyParameters key;

    private SigningKey(Ed25519PrivateKeyParameters key) {
        this.key = key;
    }

    public static SigningKey generate(SecureRandom random) {
        return new SigningKey(new Ed25519PrivateKeyParameters(random));
    }

    /** Reads a private key file written by {@link #writeTo(Path)}. */
    public static SigningKey read(Path keyFile) throws IOException {
        byte[] seed = KeyFileText.read(keyFile, FILE_HEADER, Ed25519PrivateKeyParameters.KEY_SIZE);
        return new SigningKey(new Ed25519PrivateKeyParameters(seed, 0));
    }

    public PublisherKey publicKey() {
        return PublisherKey.of(key.generatePublicKey().getEncoded());
    }

    /** The public key file that goes with {@code keyFile}: {@code KEYFILE.pub}. */
    public static Path publicKeyFile(Path keyFile) {
        return keyFile.resolveSibling(keyFile.getFileName() + ".pub");
    }

    /**
     * Writes the private key to {@code keyFile} (created with mode 600, never overwritten) and
     * the public key to {@code KEYFILE.pub}.
     */
    public void writeTo(Path keyFile) throws IOException {
        Path pub = publicKeyFile(keyFile);
        if (Files.exists(keyFile) || Files.exists(pub)) {
            throw new FileAlreadyExistsException(keyFile + " (or its .pub) already exists; not overwriting a key");
        }
        byte[] text = KeyFileText.format(FILE_HEADER, key.getEncoded()).getBytes(US_ASCII);
        try {
            // Created with owner-only permissions, so the key is never readable by others even briefly.
            Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(keyFile); // not a POSIX file system
        }
        Files.write(keyFile, text, StandardOpenOption.TRUNCATE_EXISTING);
        Files.writeString(pub, publicKey().toFileText(), US_ASCII, StandardOpenOption.CREATE_NEW);
    }

    /**
     * A BEP 44 mutable item under this key: {@code value} at {@code seq}, signed here so the seed never
     * leaves this package (BEP 46 points a publisher's key at its catalog this way).
     */
    public MutableItem signItem(byte[] salt, long seq, ItemValue value) {
        return MutableItem.sign(key.getEncoded(), salt, seq, value);
    }

    byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    @Override
    public String toString() {
        return "SigningKey[" + publicKey().fingerprint() + "]";
    }
}
