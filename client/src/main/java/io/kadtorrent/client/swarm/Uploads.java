package io.kadtorrent.client.swarm;

import io.kadtorrent.client.net.PeerConnection;
import io.kadtorrent.client.storage.PieceStore;
import io.kadtorrent.client.wire.BlockRequest;
import io.netty.buffer.ByteBuf;

import io.kadtorrent.client.storage.FileSlice;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves a peer's block requests from the store. A block goes from the file to the socket with
 * sendfile ({@code FileRegion}) when the store offers file slices, otherwise it is read straight into a
 * pooled direct buffer behind its piece header; either way no copy passes through the heap. While the connection's outbound buffer
 * is full, requests wait in the peer's bounded queue and are drained when it becomes writable.
 */
final class Uploads {

    /** More queued requests than this from one peer is abuse, not pipelining. */
    static final int MAX_QUEUED_REQUESTS = 2048;

    private final PieceStore store;
    private final AtomicLong uploadedBytes = new AtomicLong();
    private final boolean zeroCopy;

    Uploads(PieceStore store, boolean zeroCopy) {
        this.store = store;
        this.zeroCopy = zeroCopy;
    }

    long uploadedBytes() {
        return uploadedBytes.get();
    }

    private void send(PeerConnection c, BlockRequest b) throws IOException {
        Optional<List<FileSlice>> slices = store.blockSlices(b.pieceIndex(), b.begin(), b.lengthBytes());
        if (slices.isPresent() && zeroCopy) {
            c.sendBlock(b.pieceIndex(), b.begin(), slices.get());
            return;
        }
        ByteBuf buf = c.newBlockBuffer(b.pieceIndex(), b.begin(), b.lengthBytes());
        try {
            store.readBlock(b.pieceIndex(), b.begin(), b.lengthBytes(), buf);
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
        c.sendBlock(buf);
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
            try {
                send(c, b);
            } catch (IOException | RuntimeException e) {
                c.close("cannot read block " + b + ": " + e.getMessage());
                return;
            }
            uploadedBytes.addAndGet(b.lengthBytes());
        }
    }
}
