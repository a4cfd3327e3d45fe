package io.kadtorrent.engine.sim;

import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.engine.wire.PeerWireCodec;

import java.util.List;

/**
 * What one simulated connection carries, kept small until it is delivered: only then is it encoded
 * with the real codec ({@link PeerWire}), so a 1 GiB swarm never holds queued block bytes. Sizes are
 * the encoded sizes, which the links' bandwidth is charged for.
 */
sealed interface Frame {

    int sizeBytes();

    /** The 68-byte BEP 3 handshake. */
    record HandshakeFrame(Handshake handshake) implements Frame {
        @Override
        public int sizeBytes() {
            return Handshake.LENGTH;
        }
    }

    record MessageFrame(PeerMessage message, int sizeBytes) implements Frame {
        /** {@code message} and its encoded size, worked out once. */
        static MessageFrame of(PeerMessage message) {
            return new MessageFrame(message, PeerWire.encodedSize(message));
        }
    }

    /** One request message per block, written at once as the runtime does. */
    record RequestsFrame(List<BlockRequest> blocks) implements Frame {
        @Override
        public int sizeBytes() {
            return PeerWireCodec.REQUEST_FRAME_LENGTH * blocks.size();
        }
    }

    /**
     * A piece message labelled {@code label} carrying the bytes of {@code content} (equal for honest
     * peers), with one byte flipped when {@code corrupt}; {@code reportSent}: tell the sender's core once
     * it left its upload link; {@code unsolicited}: a flooder sent it without being asked.
     */
    record BlockFrame(BlockRequest label, BlockRequest content, boolean corrupt, boolean reportSent,
                      boolean unsolicited) implements Frame {

        BlockFrame(BlockRequest label, BlockRequest content, boolean corrupt, boolean reportSent) {
            this(label, content, corrupt, reportSent, false);
        }

        /** Bad data or data nobody asked for: what a core must catch. */
        boolean isAttack() {
            return corrupt || unsolicited || !label.equals(content);
        }

        @Override
        public int sizeBytes() {
            return PeerWireCodec.PIECE_HEADER_LENGTH + label.lengthBytes();
        }
    }

    /**
     * Frames that leave and arrive together ({@link Transport#BULK}), in order; {@code sizeBytes} is
     * their sum.
     */
    record Train(List<Frame> frames, int sizeBytes) implements Frame {
    }

    /** The end of the connection (a FIN or RST), after everything sent before it. */
    record Fin() implements Frame {
        @Override
        public int sizeBytes() {
            return 0;
        }
    }
}
