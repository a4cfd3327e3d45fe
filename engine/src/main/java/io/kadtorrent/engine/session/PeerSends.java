package io.kadtorrent.engine.session;

import io.kadtorrent.engine.net.PeerConnection;
import io.kadtorrent.engine.storage.FileSlice;
import io.kadtorrent.engine.storage.PieceStore;
import io.kadtorrent.engine.wire.BlockRequest;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Carries a swarm loop's sends to its peer connections: at once for a connection on the same loop (our
 * outgoing ones), batched per connection for one on another loop. Used on the swarm's loop only.
 */
final class PeerSends {

    /** sendfile for uploads; {@code -Dkadtorrent.zeroCopy=false} reads into pooled buffers instead. */
    private static final boolean ZERO_COPY = !"false".equals(System.getProperty("kadtorrent.zeroCopy"));

    /** Sends for connections on other event loops, handed over once per drain: one task, not one per write. */
    private final Map<PeerConnection, List<Runnable>> foreign = new LinkedHashMap<>(); // the loop's own
    /** Tells the core (through its queue) that a burst it asked to hear about has left our buffers. */
    private final Consumer<PeerConnection> burstSent;

    PeerSends(Consumer<PeerConnection> burstSent) {
        this.burstSent = burstSent;
    }

    /**
     * Runs {@code send} now when the connection lives on this loop (our outgoing ones do); otherwise keeps
     * it, in order, for {@link #flush}: a write from another thread would cost Netty a task each.
     */
    void onChannel(PeerConnection c, Runnable send) {
        if (c.inEventLoop()) {
            send.run();
        } else {
            foreign.computeIfAbsent(c, k -> new ArrayList<>()).add(send);
        }
    }

    /** Uploads {@code b} from {@code store} on the connection's loop (see {@link #onChannel}). */
    void sendBlock(PeerConnection c, PieceStore store, BlockRequest b, boolean reportSent) {
        onChannel(c, () -> upload(c, store, b, reportSent));
    }

    /** After a batch of events: hands each foreign connection its batch of sends as one task on its own loop. */
    void flush() {
        if (foreign.isEmpty()) {
            return;
        }
        for (Map.Entry<PeerConnection, List<Runnable>> e : foreign.entrySet()) {
            List<Runnable> batch = e.getValue();
            e.getKey().execute(() -> batch.forEach(Runnable::run));
        }
        foreign.clear();
    }

    /**
     * Sends a block from storage: sendfile when the store offers file slices and the connection is not
     * encrypted, else through a pooled buffer.
     */
    private void upload(PeerConnection c, PieceStore store, BlockRequest b, boolean reportSent) {
        Runnable onSent = reportSent ? () -> burstSent.accept(c) : null;
        try {
            Optional<List<FileSlice>> slices = ZERO_COPY && !c.isEncrypted() // RC4 must see every byte
                    ? store.blockSlices(b.pieceIndex(), b.begin(), b.lengthBytes()) : Optional.empty();
            if (slices.isPresent()) {
                List<SharedFileRegion> regions = new ArrayList<>(slices.get().size());
                slices.get().forEach(s -> regions.add(new SharedFileRegion(s)));
                c.sendBlock(b.pieceIndex(), b.begin(), b.lengthBytes(), regions, onSent);
                return;
            }
            ByteBuf buf = c.newBlockBuffer(b.pieceIndex(), b.begin(), b.lengthBytes());
            try {
                store.readBlock(b.pieceIndex(), b.begin(), buf.nioBuffer(buf.writerIndex(), b.lengthBytes()));
                buf.writerIndex(buf.writerIndex() + b.lengthBytes());
            } catch (IOException | RuntimeException e) {
                buf.release();
                throw e;
            }
            c.sendBlock(buf, onSent);
        } catch (IOException | RuntimeException e) {
            c.close("cannot read block " + b + ": " + e.getMessage(), false);
        }
    }
}
