package io.kadtorrent.engine.ext;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One try at collecting every piece of a metadata of a given size: which pieces arrived from
 * whom, and which are asked for, from whom, since when. Confined to the assembler's thread.
 */
final class MetadataAttempt<P> {

    private record Outstanding<P>(P peer, Instant sentAt) {
    }

    private final MetadataLayout layout;
    private final byte[][] pieces;
    private final Map<Integer, P> sources = new HashMap<>();
    private final Map<Integer, Outstanding<P>> outstanding = new HashMap<>();

    MetadataAttempt(MetadataLayout layout) {
        this.layout = layout;
        this.pieces = new byte[layout.pieceCount()][];
    }

    MetadataLayout layout() {
        return layout;
    }

    boolean needs(int piece) {
        return pieces[piece] == null && !outstanding.containsKey(piece);
    }

    boolean has(int piece) {
        return pieces[piece] != null;
    }

    void asked(int piece, P peer, Instant now) {
        outstanding.put(piece, new Outstanding<>(peer, now));
    }

    int outstandingFrom(P peer) {
        return (int) outstanding.values().stream().filter(o -> o.peer().equals(peer)).count();
    }

    /** Forgets requests to {@code peer}, so other peers can be asked. */
    void release(P peer) {
        outstanding.values().removeIf(o -> o.peer().equals(peer));
    }

    void release(int piece, P peer) {
        Outstanding<P> o = outstanding.get(piece);
        if (o != null && o.peer().equals(peer)) {
            outstanding.remove(piece);
        }
    }

    /** Forgets requests older than {@code timeout}; returns the peers that did not answer in time. */
    Set<P> expire(Instant now, Duration timeout) {
        Set<P> late = new HashSet<>();
        for (Iterator<Outstanding<P>> it = outstanding.values().iterator(); it.hasNext(); ) {
            Outstanding<P> o = it.next();
            if (!o.sentAt().plus(timeout).isAfter(now)) {
                late.add(o.peer());
                it.remove();
            }
        }
        return late;
    }

    void store(int piece, P peer, byte[] data) {
        pieces[piece] = data;
        sources.put(piece, peer);
        outstanding.remove(piece);
    }

    boolean isComplete() {
        return sources.size() == pieces.length;
    }

    Set<P> contributors() {
        return new HashSet<>(sources.values());
    }

    byte[] assemble() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(layout.totalSizeBytes());
        for (byte[] piece : pieces) {
            out.writeBytes(piece);
        }
        return out.toByteArray();
    }
}
