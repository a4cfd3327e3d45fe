package io.kadtorrent.engine.ext;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The BEP 10 conversation with one peer, sans I/O: decodes what the peer sends under our ids,
 * remembers its handshake, answers its ut_metadata requests from our metadata (rejecting, as
 * BEP 9 allows, when we have none or it asks too much) and encodes our messages under its ids.
 * The caller sends each {@link Outgoing} as peer wire message 20. Confined to the connection's thread.
 */
public final class ExtensionExchange {

    /** Data answers per connection: a peer needs each piece once; a few retries are fine, a flood is not. */
    static final int MAX_ANSWERS_PER_PIECE = 3;

    /** One extended message to send: the id byte and what follows it. */
    public record Outgoing(int extendedId, byte[] payload) {
        public Outgoing {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }
    }

    /** What the peer's message means for the caller. */
    public sealed interface Received {
        /** The peer's handshake arrived (possibly again, BEP 10 allows updates). */
        record Handshake(ExtensionHandshake handshake) implements Received {
        }

        /** A metadata piece or reject for the caller's {@link MetadataAssembler}. */
        record Metadata(MetadataMessage message) implements Received {
        }

        /** A request we answered (or not) ourselves. */
        record Answered(Optional<Outgoing> reply) implements Received {
        }

        /** Peers the sender connected to and dropped (BEP 11). */
        record Pex(PexMessage message) implements Received {
        }

        /** An extension we do not speak, or a message type BEP 9 says to ignore. */
        record Ignored() implements Received {
        }
    }

    private final Optional<MetadataServing> serving;
    private final boolean peerExchange;
    private ExtensionHandshake remote;
    private int answers;

    /** {@code serving} is empty while we do not have the metadata ourselves (magnet download). */
    public ExtensionExchange(Optional<MetadataServing> serving) {
        this(serving, true);
    }

    /** As {@link #ExtensionExchange(Optional)}; {@code peerExchange} false: we offer no ut_pex (a private torrent). */
    public ExtensionExchange(Optional<MetadataServing> serving, boolean peerExchange) {
        this.serving = serving;
        this.peerExchange = peerExchange;
    }

    /**
     * Our handshake, to send right after the BEP 3 handshake when both sides set the BEP 10 bit (and again
     * when {@code uploadOnly} changes). {@code peerAddress}: the peer's address as we see it ({@code yourip}).
     */
    public Outgoing handshake(String client, int listenPort, int requestQueueDepth, Optional<InetAddress> peerAddress,
                              boolean uploadOnly) {
        int size = serving.map(MetadataServing::metadataSizeBytes).orElse(0);
        ExtensionHandshake ours = ExtensionHandshake.ours(client, listenPort, size, requestQueueDepth)
                .withUploadOnly(uploadOnly);
        if (!peerExchange) {
            ours = ours.without(ExtensionHandshake.UT_PEX);
        }
        if (peerAddress.isPresent()) {
            ours = ours.withYourIp(peerAddress.get());
        }
        return new Outgoing(ExtensionCodec.HANDSHAKE_ID, ExtensionCodec.encode(ours));
    }

    /** The peer's handshake, once received. */
    public Optional<ExtensionHandshake> remote() {
        return Optional.ofNullable(remote);
    }

    /** Handles one extended message from the peer. */
    public Received onExtended(int extendedId, byte[] payload) throws ExtensionProtocolException {
        Optional<ExtensionMessage> decoded = ExtensionCodec.decode(extendedId, payload);
        if (decoded.isEmpty()) {
            return new Received.Ignored();
        }
        ExtensionMessage message = decoded.get();
        if (message instanceof ExtensionHandshake h) {
            remote = h;
            return new Received.Handshake(h);
        }
        if (message instanceof PexMessage pex) {
            return peerExchange ? new Received.Pex(pex) : new Received.Ignored();
        }
        if (message instanceof MetadataMessage.Request r) {
            return new Received.Answered(answer(r));
        }
        return new Received.Metadata((MetadataMessage) message);
    }

    /** Encodes a peer exchange message for the peer; empty when it did not advertise ut_pex, or we do not offer it. */
    public Optional<Outgoing> pex(PexMessage message) {
        if (!peerExchange) {
            return Optional.empty();
        }
        OptionalInt id = remote == null ? OptionalInt.empty() : remote.idOf(ExtensionHandshake.UT_PEX);
        return id.isEmpty() ? Optional.empty() : Optional.of(new Outgoing(id.getAsInt(), ExtensionCodec.encode(message)));
    }

    /** Encodes a ut_metadata request for the peer; empty when it did not advertise ut_metadata. */
    public Optional<Outgoing> request(int piece) {
        return encode(new MetadataMessage.Request(piece));
    }

    private Optional<Outgoing> answer(MetadataMessage.Request request) {
        if (serving.isEmpty()) {
            return encode(new MetadataMessage.Reject(request.piece())); // BEP 9: we lack the metadata
        }
        int pieces = new MetadataLayout(serving.get().metadataSizeBytes()).pieceCount();
        if (answers >= MAX_ANSWERS_PER_PIECE * pieces) {
            return encode(new MetadataMessage.Reject(request.piece())); // BEP 9 allows rejecting floods
        }
        MetadataMessage reply = serving.get().answer(request);
        if (reply instanceof MetadataMessage.Data) {
            answers++;
        }
        return encode(reply);
    }

    private Optional<Outgoing> encode(MetadataMessage message) {
        OptionalInt id = remote == null ? OptionalInt.empty() : remote.idOf(ExtensionHandshake.UT_METADATA);
        return id.isEmpty() ? Optional.empty() : Optional.of(new Outgoing(id.getAsInt(), ExtensionCodec.encode(message)));
    }
}
