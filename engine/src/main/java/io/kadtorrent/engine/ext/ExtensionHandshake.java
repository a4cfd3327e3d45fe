package io.kadtorrent.engine.ext;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The BEP 10 extension handshake (extended message id 0), a bencoded dictionary:
 * {@code m} maps extension names to the message ids the sender wants to receive them under,
 * {@code v} names the client, {@code p} is its TCP listen port, {@code reqq} how many requests
 * it queues, {@code yourip} the receiver's address as the sender sees it, BEP 9 adds {@code metadata_size}
 * and BEP 21 {@code upload_only}. Absent or unusable fields are empty.
 *
 * @param extensionIds      extension name -> id, only enabled ones (1..255)
 * @param client            the {@code v} client name and version
 * @param listenPort        the {@code p} TCP port the peer accepts connections on
 * @param metadataSizeBytes BEP 9 size of the info dictionary, only when we could fetch it
 * @param requestQueueDepth the {@code reqq} number of outstanding requests the peer accepts
 * @param yourIp            the {@code yourip} address of the receiver as the sender sees it
 * @param uploadOnly        BEP 21 {@code upload_only}: the sender wants no more pieces (a seed, or done)
 */
public record ExtensionHandshake(Map<String, Integer> extensionIds, Optional<String> client,
                                 OptionalInt listenPort, OptionalInt metadataSizeBytes,
                                 OptionalInt requestQueueDepth, Optional<InetAddress> yourIp,
                                 boolean uploadOnly) implements ExtensionMessage {

    /** BEP 10: the extension protocol is advertised by bit 0x10 of reserved byte 5 of the BEP 3 handshake. */
    public static final int RESERVED_BYTE = 5;
    public static final int RESERVED_MASK = 0x10;

    public static final String UT_METADATA = "ut_metadata"; // BEP 9 extension name
    public static final String UT_PEX = "ut_pex"; // BEP 11 extension name

    public ExtensionHandshake {
        extensionIds = Map.copyOf(new TreeMap<>(extensionIds));
        extensionIds.forEach((name, id) -> {
            if (id < 1 || id > 255) {
                throw new IllegalArgumentException("extension id of " + name + " must be 1..255: " + id);
            }
        });
        if (listenPort.isPresent() && (listenPort.getAsInt() < 1 || listenPort.getAsInt() > 65_535)) {
            throw new IllegalArgumentException("listen port must be 1..65535");
        }
        if (metadataSizeBytes.isPresent() && !MetadataLayout.isValidSize(metadataSizeBytes.getAsInt())) {
            throw new IllegalArgumentException("metadata size out of range");
        }
        if (requestQueueDepth.isPresent() && requestQueueDepth.getAsInt() < 1) {
            throw new IllegalArgumentException("reqq must be positive");
        }
    }

    /** A handshake without {@code yourip} and {@code upload_only}. */
    public ExtensionHandshake(Map<String, Integer> extensionIds, Optional<String> client, OptionalInt listenPort,
                              OptionalInt metadataSizeBytes, OptionalInt requestQueueDepth) {
        this(extensionIds, client, listenPort, metadataSizeBytes, requestQueueDepth, Optional.empty(), false);
    }

    /**
     * The handshake we send: we receive ut_metadata under {@link ExtensionCodec#UT_METADATA_ID}.
     *
     * @param listenPort        our TCP port, 0 when we do not accept connections
     * @param metadataSizeBytes the size of our info dictionary, 0 while we do not have it (magnet)
     */
    public static ExtensionHandshake ours(String client, int listenPort, int metadataSizeBytes, int requestQueueDepth) {
        return new ExtensionHandshake(Map.of(UT_METADATA, ExtensionCodec.UT_METADATA_ID, UT_PEX, ExtensionCodec.UT_PEX_ID),
                Optional.of(client),
                listenPort == 0 ? OptionalInt.empty() : OptionalInt.of(listenPort),
                metadataSizeBytes == 0 ? OptionalInt.empty() : OptionalInt.of(metadataSizeBytes),
                OptionalInt.of(requestQueueDepth));
    }

    /** This handshake telling the receiver its address as we see it. */
    public ExtensionHandshake withYourIp(InetAddress address) {
        return new ExtensionHandshake(extensionIds, client, listenPort, metadataSizeBytes, requestQueueDepth,
                Optional.of(address), uploadOnly);
    }

    /** This handshake saying (BEP 21) whether we want no more pieces. */
    public ExtensionHandshake withUploadOnly(boolean value) {
        return new ExtensionHandshake(extensionIds, client, listenPort, metadataSizeBytes, requestQueueDepth, yourIp,
                value);
    }

    /** This handshake without extension {@code name} (a private torrent offers no ut_pex, BEP 27). */
    public ExtensionHandshake without(String name) {
        Map<String, Integer> ids = new java.util.HashMap<>(extensionIds);
        ids.remove(name);
        return new ExtensionHandshake(ids, client, listenPort, metadataSizeBytes, requestQueueDepth, yourIp, uploadOnly);
    }

    /** The id the sender wants extension {@code name} sent under, if it supports it. */
    public OptionalInt idOf(String name) {
        Integer id = extensionIds.get(name);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** True when the sender speaks BEP 9 and can serve metadata of a size we accept. */
    public boolean servesMetadata() {
        return extensionIds.containsKey(UT_METADATA) && metadataSizeBytes.isPresent();
    }
}
