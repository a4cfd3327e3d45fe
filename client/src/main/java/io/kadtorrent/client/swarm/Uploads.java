package io.kadtorrent.client.swarm;

import io.kadtorrent.client.net.PeerConnection;
import io.kadtorrent.client.storage.PieceStore;
import io.kadtorrent.client.wire.BlockRequest;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves a peer's block requests from the store. A block is read straight into a pooled direct
 * buffer behind its piece header (no copy through the heap); while the connection's outbound buffer
 * is full, requests wait in the peer's bounded queue and are drained when it becomes writable.
 */
final class Uploads {

    /** More queued requests than this from one peer is abuse, not pipelining. */
    static final int MAX_QUEUED_REQUESTS = 2048;

    private final PieceStore store;
    private final AtomicLong uploadedBytes = new AtomicLong();

    Uploads(PieceStore store) {
        this.store = store;
    }

    long uploadedBytes() {
        return uploadedBytes.get();
    }

    /** Queues {@code block} for the peer and sends what the connection can take; false if the queue overflowed. */
    boolean enqueue(PeerConnection c, PeerState s, BlockRequest block) {
        if (s.uploadQueue.size() >= MAX_QUEUED_REQUESTS) {
            return false;
        }
        s.uploadQueue.addLast(block);
        drain(c, s);
        return true;
    }

    /** Sends queued blocks while the connection is writable. */
    void drain(PeerConnection c, PeerState s) {
        while (!s.uploadQueue.isEmpty() && c.isWritable() && !s.amChoking) {
            BlockRequest b = s.uploadQueue.pollFirst();
            ByteBuf buf = c.newBlockBuffer(b.pieceIndex(), b.begin(), b.lengthBytes());
            try {
                store.readBlock(b.pieceIndex(), b.begin(), b.lengthBytes(), buf);
            } catch (IOException | RuntimeException e) {
                buf.release();
                c.close("cannot read block " + b + ": " + e.getMessage());
                return;
            }
            c.sendBlock(b.pieceIndex(), b.begin(), buf);
            uploadedBytes.addAndGet(b.lengthBytes());
        }
    }
}
