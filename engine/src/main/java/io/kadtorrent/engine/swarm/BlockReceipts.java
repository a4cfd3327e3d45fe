package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.pick.PiecePicker;
import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.PeerMessage;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the requests {@link Downloads} sent end: a block arrives (counted per peer, its author noted for bans,
 * endgame duplicates cancelled), the peer rejects or chokes, or it stays silent for
 * {@link Downloads#REQUEST_TIMEOUT_MILLIS}; blocks never asked for beyond {@link Downloads#MAX_UNREQUESTED_BYTES}
 * drop the peer. Confined to the core's thread.
 */
final class BlockReceipts {

    private static final int MAX_TRACKED_SOURCES = 1024;

    private final PiecePicker picker;
    private final Collection<PeerState> peers;
    private final Outbox out;
    private final PeerVerdict verdict;
    /** Per piece, the peers whose blocks of it we took since it was last checked (null: none); by index, no boxing. */
    private final List<PeerLink>[] contributors;
    /** Block bytes received per peer address (one mutable cell each: no boxing per block), for "who served whom" reports; bounded. */
    private final Map<InetSocketAddress, long[]> downloadedFrom = new LinkedHashMap<>();
    private long downloadedBytes;

    /** {@code peers} is the core's live view of its connected peers. */
    BlockReceipts(int pieceCount, PiecePicker picker, Collection<PeerState> peers, Outbox out, PeerVerdict verdict) {
        this.picker = picker;
        this.peers = peers;
        this.out = out;
        this.verdict = verdict;
        @SuppressWarnings("unchecked")
        List<PeerLink>[] byPiece = new List[pieceCount];
        this.contributors = byPiece;
    }

    long downloadedBytes() {
        return downloadedBytes;
    }

    Map<InetSocketAddress, Long> downloadedByPeer() {
        Map<InetSocketAddress, Long> out = new LinkedHashMap<>();
        downloadedFrom.forEach((address, bytes) -> out.put(address, bytes[0]));
        return Map.copyOf(out);
    }

    /** Who contributed to piece {@code index} since it was last checked; forgets them (the piece is checked now). */
    List<PeerLink> takeContributors(int index) {
        List<PeerLink> from = contributors[index];
        contributors[index] = null;
        return from == null ? List.of() : from;
    }

    /**
     * A block arrived from {@code s}; the core hands over the message and its block. True when it was asked
     * for (then the peer's requests may be topped up).
     */
    boolean onPiece(long now, PeerState s, PeerMessage.Piece p) {
        BlockRequest block = p.blockRequest();
        if (!s.inFlight.remove(block)) {
            p.release();
            if (!lateBlockAllowed(s, block.lengthBytes())) {
                verdict.drop(s, "sent more than " + Downloads.MAX_UNREQUESTED_BYTES + " bytes of blocks we never asked for",
                        true);
            }
            return false;
        }
        PiecePicker.Received r = received(now, s, block);
        if (r == PiecePicker.Received.ACCEPTED || r == PiecePicker.Received.PIECE_COMPLETE) {
            if (picker.inEndgame() || picker.isUrgent(block.pieceIndex())) { // only these go to two peers at once
                cancelElsewhere(s, block);
            }
            out.add(new SwarmAction.WriteBlock(block, p.block(), r == PiecePicker.Received.PIECE_COMPLETE,
                    picker.startedUrgent(block.pieceIndex())));
        } else {
            p.release();
        }
        return true;
    }

    /**
     * A block we have no request in flight for arrived: fine while it may be the late answer to a request
     * we cancelled or forgot; false once the peer has sent more than {@link Downloads#MAX_UNREQUESTED_BYTES}.
     */
    private boolean lateBlockAllowed(PeerState s, int lengthBytes) {
        if (s.lateAllowance > 0) {
            s.lateAllowance--;
            return true;
        }
        s.unrequestedBytes += lengthBytes;
        return s.unrequestedBytes <= Downloads.MAX_UNREQUESTED_BYTES;
    }

    /** A block we asked {@code s} for arrived (already removed from its in-flight set). */
    private PiecePicker.Received received(long now, PeerState s, BlockRequest block) {
        downloadedBytes += block.lengthBytes();
        long[] from = downloadedFrom.get(s.address);
        if (from == null && downloadedFrom.size() < MAX_TRACKED_SOURCES) {
            from = new long[1];
            downloadedFrom.put(s.address, from);
        }
        if (from != null) {
            from[0] += block.lengthBytes();
        }
        s.recordReceived(block.lengthBytes(), now);
        s.lastBlockAt = now;
        s.lastProgressAt = now;
        PiecePicker.Received r = picker.blockReceived(block);
        if (r == PiecePicker.Received.ACCEPTED || r == PiecePicker.Received.PIECE_COMPLETE) {
            List<PeerLink> authors = contributors[block.pieceIndex()];
            if (authors == null) {
                authors = new ArrayList<>(2);
                contributors[block.pieceIndex()] = authors;
            }
            if (authors.isEmpty() || authors.get(authors.size() - 1) != s.link) {
                authors.add(s.link); // PeerBans.blame counts each author once: a run of one peer's blocks is one entry
            }
        }
        return r;
    }

    /**
     * Endgame: cancel the requests for {@code block} that other peers still have in flight. The picker counts
     * the live requests (the one just answered among them), so most blocks, asked of one peer only, cost no
     * walk, and a walk ends with the last duplicate.
     */
    private void cancelElsewhere(PeerState from, BlockRequest block) {
        int elsewhere = picker.liveRequests(block) - 1;
        for (var it = peers.iterator(); elsewhere > 0 && it.hasNext(); ) {
            PeerState s = it.next();
            if (s != from && s.inFlight.remove(block)) {
                elsewhere--;
                picker.unrequest(block);
                s.lateAllowance++;
                out.send(s, new PeerMessage.Cancel(block.pieceIndex(), block.begin(), block.lengthBytes()));
            }
        }
    }

    /** Forgets every request in flight to {@code s} (a choke, a close): the blocks may be picked again. */
    void dropInFlight(PeerState s) {
        s.inFlight.forEach(picker::unrequest);
        s.inFlight.clear();
    }

    /**
     * BEP 6: {@code s} will not send {@code block}. The block goes back to the picker for other peers, and
     * its piece is not asked of {@code s} again until it unchokes us; true when it was in flight to {@code s}.
     */
    boolean onReject(PeerState s, BlockRequest block) {
        if (!s.inFlight.remove(block)) {
            if (s.lateAllowance > 0) {
                s.lateAllowance--; // the answer to a request we cancelled or gave up on: no block follows
            }
            return false;
        }
        picker.unrequest(block);
        s.rejectedPieces.set(block.pieceIndex());
        return true;
    }

    /**
     * Takes back the requests of a peer that answered none of them for {@link Downloads#REQUEST_TIMEOUT_MILLIS}
     * and snubs it for {@link Downloads#SNUB_PENALTY_MILLIS}; true when it did, so the blocks can go to others.
     */
    boolean timeOutRequests(long now, PeerState s) {
        if (s.inFlight.isEmpty() || now - s.lastProgressAt < Downloads.REQUEST_TIMEOUT_MILLIS) {
            return false;
        }
        s.lateAllowance += s.inFlight.size();
        dropInFlight(s);
        s.snubbedUntil = now + Downloads.SNUB_PENALTY_MILLIS;
        return true;
    }
}
