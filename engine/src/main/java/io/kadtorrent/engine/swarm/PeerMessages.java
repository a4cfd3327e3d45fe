package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.ext.ExtensionCodec;
import io.kadtorrent.engine.ext.ExtensionHandshake;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.engine.wire.PeerMessage.AllowedFast;
import io.kadtorrent.engine.wire.PeerMessage.Bitfield;
import io.kadtorrent.engine.wire.PeerMessage.Cancel;
import io.kadtorrent.engine.wire.PeerMessage.Choke;
import io.kadtorrent.engine.wire.PeerMessage.Extended;
import io.kadtorrent.engine.wire.PeerMessage.FastMessage;
import io.kadtorrent.engine.wire.PeerMessage.Have;
import io.kadtorrent.engine.wire.PeerMessage.HaveAll;
import io.kadtorrent.engine.wire.PeerMessage.HaveNone;
import io.kadtorrent.engine.wire.PeerMessage.Interested;
import io.kadtorrent.engine.wire.PeerMessage.KeepAlive;
import io.kadtorrent.engine.wire.PeerMessage.NotInterested;
import io.kadtorrent.engine.wire.PeerMessage.Piece;
import io.kadtorrent.engine.wire.PeerMessage.Port;
import io.kadtorrent.engine.wire.PeerMessage.RejectRequest;
import io.kadtorrent.engine.wire.PeerMessage.Request;
import io.kadtorrent.engine.wire.PeerMessage.SuggestPiece;
import io.kadtorrent.engine.wire.PeerMessage.Unchoke;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The swarm core's intake of peer wire messages, each checked against BEP 3, 6 or 10 before it reaches the part of
 * the core it concerns; what a peer announces before storage is open waits here until {@link #storageReady}.
 * Confined to the core's thread.
 */
final class PeerMessages {

    private final Connections connections;
    private final ConnectedPeers peers;
    private final UploadServing serving;
    private final FastExtension fast;
    private final MetadataExchange metadata;
    private final Outbox out;
    /** Where the metainfo goes once a BEP 9 fetch completed it (magnet); the core then calls {@link #metadataKnown}. */
    private final Consumer<Metainfo> metadataFetched;
    private Metainfo metainfo; // null until the metadata is known (magnet)
    private Downloads downloads; // null until storage is ready

    PeerMessages(Connections connections, UploadServing serving, FastExtension fast, MetadataExchange metadata,
                 Outbox out, Consumer<Metainfo> metadataFetched) {
        this.connections = connections;
        this.peers = connections.peers();
        this.serving = serving;
        this.fast = fast;
        this.metadata = metadata;
        this.out = out;
        this.metadataFetched = metadataFetched;
    }

    void metadataKnown(Metainfo m) {
        this.metainfo = m;
    }

    private boolean isComplete() {
        return downloads != null && downloads.isComplete();
    }

    /** One message from a connected peer. Takes ownership of a {@link Piece}'s block. */
    void receive(long now, PeerLink link, PeerMessage m) {
        PeerState s = peers.get(link);
        if (s == null || s.closing) {
            if (m instanceof Piece p) {
                p.release();
            }
            return;
        }
        if (m instanceof Piece p) {
            onPiece(now, s, p);
        } else if (m instanceof Request r) {
            onRequest(now, s, r);
        } else if (m instanceof Have h) {
            onHave(now, s, h.pieceIndex());
        } else if (m instanceof Bitfield b) {
            onBitfield(now, s, b);
        } else if (m instanceof Choke) {
            s.peerChoking = true;
            if (downloads != null && !s.fast) {
                downloads.dropInFlight(s); // BEP 3: a choke discards every request we had pending
            } // BEP 6: the peer rejects each request it drops, and may still serve its allowed-fast pieces
        } else if (m instanceof Unchoke) {
            onUnchoke(now, s);
        } else if (m instanceof Interested) {
            s.peerInterested = true;
            serving.interested(now, s);
        } else if (m instanceof NotInterested) {
            s.peerInterested = false;
            serving.lostInterest(now, s);
        } else if (m instanceof Cancel x) {
            if (s.uploadQueue.remove(x.block())) {
                fast.refuse(s, x.block()); // BEP 6: every request gets a block or a reject, even a cancelled one
            }
        } else if (m instanceof Port port) {
            s.dhtPort = port.port();
        } else if (m instanceof Extended e) {
            onExtended(now, s, e);
        } else if (m instanceof KeepAlive) {
            onKeepAlive(now, s);
        } else if (m instanceof FastMessage f) {
            onFast(now, s, f);
        }
    }

    private void onPiece(long now, PeerState s, Piece p) {
        if (downloads == null) {
            p.release();
            connections.drop(s, "sent a block before we could ask for one", false); // nothing was asked for yet
            return;
        }
        boolean overdrawn = serving.overdrawn(s);
        downloads.onPiece(now, s, p);
        serving.serveIfCreditCleared(now, s, overdrawn);
    }

    private void onUnchoke(long now, PeerState s) {
        boolean overdrawn = serving.overdrawn(s);
        s.peerChoking = false;
        s.rejectedPieces.clear();
        s.lastProgressAt = now;
        if (downloads != null) {
            downloads.fill(now, s);
        }
        serving.serveIfCreditCleared(now, s, overdrawn);
    }

    private void onRequest(long now, PeerState s, Request r) {
        if (!serving.isStarted()) {
            fast.refuse(s, r.block()); // we have nothing yet and never said otherwise
            return;
        }
        String problem = serving.problem(r);
        if (problem != null) {
            connections.drop(s, problem, false);
            return;
        }
        switch (serving.enqueue(now, s, r)) {
            case QUEUED -> { } // served as far as it may be
            case REFUSED -> fast.refuse(s, r.block());
            case OVERFLOW -> connections.drop(s, "more than " + Uploads.MAX_QUEUED_REQUESTS + " queued requests", false);
        }
    }

    private void onHave(long now, PeerState s, int index) {
        int limit = metainfo == null ? SwarmCore.MAX_PIECES_BEFORE_METADATA : metainfo.pieceCount();
        if (index >= limit) {
            connections.drop(s, "have for piece " + index + " of " + limit, false);
            return;
        }
        if (s.pieces.get(index)) {
            return;
        }
        s.pieces.set(index);
        serving.announced(s, index);
        if (downloads != null) {
            downloads.onHave(now, s, index);
            if (isComplete()) {
                closeIfNothingToTrade(s);
            }
        }
    }

    private void onBitfield(long now, PeerState s, Bitfield b) {
        if (downloads == null) {
            // before the metadata, or before its storage is open: checked once storage is ready
            s.earlyBitfield = b.bits(); // bounded by the frame cap
            return;
        }
        String problem = downloads.onBitfield(now, s, b.bits());
        if (problem != null) {
            connections.drop(s, problem, false);
        } else {
            piecesKnown(s);
        }
    }

    /** BEP 6 have_all / have_none: a bitfield of every piece or of none. */
    private void onHaveAllOrNone(long now, PeerState s, boolean all) {
        if (metainfo == null || downloads == null) {
            s.earlyHaveAll = all; // before the piece count is known or storage is open: applied at storageReady
            s.earlyBitfield = null;
            return;
        }
        BitSet pieces = new BitSet();
        pieces.set(0, all ? metainfo.pieceCount() : 0);
        onBitfield(now, s, Bitfield.of(pieces, metainfo.pieceCount()));
    }

    /** What the peer has is known (a bitfield or its BEP 6 stand-ins): a seed leaves a seed; Fast offers. */
    private void piecesKnown(PeerState s) {
        if (isComplete() && closeIfNothingToTrade(s)) {
            return;
        }
        fast.offerAllowedFast(s, downloads.verified(), metainfo.pieceCount());
    }

    /**
     * We want no more pieces: a peer that wants none either (a seed, BEP 21 upload_only) only takes a slot,
     * so it is closed; true when it was.
     */
    boolean closeIfNothingToTrade(PeerState s) {
        if (s.pieces.nextClearBit(0) >= metainfo.pieceCount()) { // cheaper than a count on every have
            connections.close(s, "both sides are seeds", false);
            return true;
        }
        if (s.uploadOnly) {
            connections.close(s, "neither side wants pieces (BEP 21 upload_only)", false);
            return true;
        }
        return false;
    }

    /** A BEP 6 message; a peer that did not set the Fast bit may send none. */
    private void onFast(long now, PeerState s, FastMessage m) {
        if (!s.fast) {
            connections.drop(s, "sent " + m + " without the Fast extension bit (BEP 6)", false);
            return;
        }
        int limit = metainfo == null ? SwarmCore.MAX_PIECES_BEFORE_METADATA : metainfo.pieceCount();
        if (m instanceof HaveAll || m instanceof HaveNone) {
            onHaveAllOrNone(now, s, m instanceof HaveAll);
        } else if (m instanceof RejectRequest r) {
            if (downloads != null && downloads.onReject(s, r.block())) {
                downloads.refillAll(now); // the block goes to another peer
            }
        } else if (m instanceof AllowedFast a) {
            if (metainfo != null && !fast.onAllowedFast(s, a.pieceIndex(), metainfo.pieceCount())) {
                connections.drop(s, "allowed fast for piece " + a.pieceIndex() + " of " + limit, false);
            } else if (s.peerChoking && downloads != null) {
                downloads.fill(now, s);
            }
        } else if (m instanceof SuggestPiece p && p.pieceIndex() >= limit) {
            connections.drop(s, "suggested piece " + p.pieceIndex() + " of " + limit, false); // only a hint
        }
    }

    private void onKeepAlive(long now, PeerState s) {
        if (now - s.keepAliveWindowStart >= 60_000) {
            s.keepAliveWindowStart = now;
            s.keepAlives = 0;
        }
        if (++s.keepAlives > SwarmCore.MAX_KEEP_ALIVES_PER_MINUTE) {
            connections.drop(s, "more than " + SwarmCore.MAX_KEEP_ALIVES_PER_MINUTE + " keep-alives in a minute", true);
        }
    }

    private void onExtended(long now, PeerState s, Extended e) {
        Optional<Metainfo> fetched = metadata.onExtended(now, s, e, peers.byLink());
        if (fetched.isPresent() && metainfo == null) {
            metadataFetched.accept(fetched.get());
        }
        if (e.extendedId() == ExtensionCodec.HANDSHAKE_ID && !s.closing && s.extensions != null) {
            s.extensions.remote().ifPresent(h -> onExtensionHandshake(now, s, h));
        }
    }

    /**
     * The peer's BEP 10 handshake (again, possibly): its {@code reqq} caps our pipeline, BEP 21 upload_only, and
     * for a peer that dialled us, its listen port.
     */
    private void onExtensionHandshake(long now, PeerState s, ExtensionHandshake h) {
        connections.heardListenPort(now, s);
        s.requestCap = h.requestQueueDepth().orElse(Integer.MAX_VALUE);
        s.uploadOnly = h.uploadOnly();
        if (isComplete()) {
            closeIfNothingToTrade(s);
        }
    }

    /**
     * Storage is open: the bitfields and haves peers sent before are checked against the piece count now, and
     * each peer hears of the {@code verified} pieces (too late for a bitfield: BEP 3 allows it only first).
     */
    void storageReady(long now, Downloads d, BitSet verified) {
        this.downloads = d;
        for (PeerState s : List.copyOf(peers.all())) {
            BitSet early = (BitSet) s.pieces.clone();
            s.pieces.clear();
            if (s.earlyHaveAll) {
                BitSet all = new BitSet();
                all.set(0, metainfo.pieceCount());
                s.earlyBitfield = Bitfield.of(all, metainfo.pieceCount()).bits();
            }
            boolean announced = s.earlyBitfield != null;
            String problem = s.earlyBitfield == null ? null : d.onBitfield(now, s, s.earlyBitfield);
            s.earlyBitfield = null;
            s.earlyHaveAll = false;
            if (problem == null && early.length() > metainfo.pieceCount()) {
                problem = "have for piece " + (early.length() - 1) + " of " + metainfo.pieceCount();
            }
            if (problem != null) {
                connections.drop(s, problem, false);
                continue;
            }
            for (int i = verified.nextSetBit(0); i >= 0; i = verified.nextSetBit(i + 1)) {
                out.send(s, new Have(i));
            }
            for (int i = early.nextSetBit(0); i >= 0; i = early.nextSetBit(i + 1)) {
                if (!s.pieces.get(i)) {
                    s.pieces.set(i);
                    d.onHave(now, s, i);
                }
            }
            d.updateInterest(s);
            d.fill(now, s);
            if (announced) {
                piecesKnown(s);
            }
        }
    }
}
