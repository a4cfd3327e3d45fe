package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.engine.wire.PeerMessage.AllowedFast;
import io.kadtorrent.engine.wire.PeerMessage.Bitfield;
import io.kadtorrent.engine.wire.PeerMessage.HaveAll;
import io.kadtorrent.engine.wire.PeerMessage.HaveNone;
import io.kadtorrent.engine.wire.PeerMessage.RejectRequest;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.net.Inet4Address;
import java.util.BitSet;

/**
 * The Fast extension (BEP 6) inside the swarm core, for peers whose handshake set the Fast bit as ours
 * does: what we announce first (have_all / have_none instead of a bitfield), the allowed-fast set we give
 * peers that have few pieces, the allowed-fast pieces peers give us (bounded), and rejecting requests we
 * will not serve. Rejects we receive and choke semantics live where requests do ({@link Downloads},
 * {@link Uploads}). A suggest_piece is checked and otherwise ignored: BEP 6 makes it a hint, and the
 * picker's rarest-first order serves the swarm better than one peer's cache. Confined to the core's thread.
 */
final class FastExtension {

    /** Pieces in the allowed-fast set we give a peer (BEP 6 suggests 10). */
    static final int ALLOWED_FAST_K = 10;
    /** A peer with fewer pieces than this gets our allowed-fast set: it has little to trade yet. */
    static final int FEW_PIECES = ALLOWED_FAST_K;
    /** Allowed-fast pieces we remember per peer; more are ignored (BEP 6 sets are about 10). */
    static final int MAX_ALLOWED_FAST = 32;

    private final InfoHash infoHash;
    private final Outbox out;

    FastExtension(InfoHash infoHash, Outbox out) {
        this.infoHash = infoHash;
        this.out = out;
    }

    /**
     * What to tell a new peer about our pieces ({@code verified}, null before storage is open): with Fast,
     * have_all or have_none where they say it (BEP 6: one of the three must come first); else a bitfield,
     * or nothing when we have nothing (BEP 3). Null when nothing is to be sent.
     */
    static PeerMessage announcement(boolean fast, BitSet verified, int pieceCount) {
        int have = verified == null ? 0 : verified.cardinality();
        if (fast && have == 0) {
            return new HaveNone();
        }
        if (fast && have == pieceCount) {
            return new HaveAll();
        }
        return have == 0 ? null : Bitfield.of(verified, pieceCount);
    }

    /**
     * The peer's pieces are known: when it has few, we send it our canonical allowed-fast set (the pieces
     * of it we have and it lacks) and serve those even while we choke it. IPv4 peers only: BEP 6 defines
     * the set for IPv4 addresses. A seed offers none: its upload is the swarm's scarcest, and its
     * round-robin unchokes already reach newcomers; giving each newcomer the same k pieces outside that
     * rotation doubled what a seed uploads in a flash crowd (SwarmProperties, 2.0 -> 4.1 copies).
     */
    void offerAllowedFast(PeerState s, BitSet verified, int pieceCount) {
        if (!s.fast || !s.allowedFastToPeer.isEmpty() || s.pieces.cardinality() >= FEW_PIECES
                || verified.cardinality() == pieceCount || !(s.address.getAddress() instanceof Inet4Address ip)) {
            return;
        }
        for (int piece : AllowedFastSet.of(ip, infoHash, pieceCount, ALLOWED_FAST_K)) {
            if (verified.get(piece) && !s.pieces.get(piece)) {
                s.allowedFastToPeer.set(piece);
                out.send(s, new AllowedFast(piece));
            }
        }
    }

    /**
     * The peer lets us request {@code piece} while it chokes us; false when the index is outside the torrent
     * (a protocol error). Past {@link #MAX_ALLOWED_FAST} pieces more are ignored.
     */
    boolean onAllowedFast(PeerState s, int piece, int pieceCount) {
        if (piece >= pieceCount) {
            return false;
        }
        if (s.allowedFastFromPeer.cardinality() < MAX_ALLOWED_FAST) {
            s.allowedFastFromPeer.set(piece);
        }
        return true;
    }

    /** BEP 6: a request we will not serve gets a reject; without Fast it is silently dropped (BEP 3). */
    void refuse(PeerState s, BlockRequest block) {
        if (s.fast) {
            out.send(s, RejectRequest.of(block));
        }
    }
}
