package io.kadtorrent.client.swarm;

import io.kadtorrent.client.net.PeerConnection;
import io.kadtorrent.client.storage.PieceStore;
import io.kadtorrent.client.wire.BlockRequest;
import io.netty.buffer.ByteBuf;

import io.kadtorrent.client.storage.FileSlice;
import io.kadtorrent.client.wire.PeerMessage.Request;
import io.kadtorrent.torrent.layout.PieceLayout;

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
    private final PieceLayout layout;
    private final boolean zeroCopy;

    Uploads(PieceStore store, PieceLayout layout, boolean zeroCopy) {
        this.store = store;
        this.layout = layout;
        this.zeroCopy = zeroCopy;
    }

    /** Validates a request (BEP 3: at most 16 KiB, inside the torrent) and queues it; bad ones close the peer. */
    void onRequest(PeerConnection c, PeerState s, Request r) {
        String problem = requestProblem(r);
        if (problem != null) {
            c.close(problem);
            return;
        }
        if (s.amChoking || !store.hasPiece(r.pieceIndex())) {
            return; // BEP 3: requests while choked are dropped; we never advertised that piece
        }
        if (!enqueue(c, s, r.block())) {
            c.close("more than " + MAX_QUEUED_REQUESTS + " queued requests");
        }
    }

    private String requestProblem(Request r) {
        if (r.pieceIndex() >= layout.pieceCount()) {
            return "request for piece " + r.pieceIndex() + " of " + layout.pieceCount();
        }
        if (r.lengthBytes() <= 0 || r.lengthBytes() > BlockRequest.BLOCK_SIZE) {
            return "request of " + r.lengthBytes() + " bytes (limit 16 KiB)";
        }
        if ((long) r.begin() + r.lengthBytes() > layout.pieceSize(r.pieceIndex())) {
            return "request " + r.begin() + "+" + r.lengthBytes() + " outside piece " + r.pieceIndex();
        }
        return null;
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
    private boolean enqueue(PeerConnection c, PeerState s, BlockRequest block) {
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
