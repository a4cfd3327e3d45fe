package io.kadtorrent.engine.sim;

import io.kadtorrent.engine.swarm.SwarmAction;
import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.PeerMessage;

import java.util.SplittableRandom;

/**
 * Performs one simulated peer's {@link SwarmAction}s as the Netty runtime ({@code Torrent.perform})
 * does, with the peer's {@link Behaviour} bending what goes out: a free-rider never unchokes, a liar
 * sends wrong or mislabelled blocks, a flooder adds blocks or keep-alives nobody asked for.
 */
final class SimActions {

    /** A flooder sends its burst on every connection this often. */
    static final long FLOOD_INTERVAL_MILLIS = 50;
    static final int FLOOD_BLOCKS = 4;
    static final int FLOOD_KEEP_ALIVES = 5;

    private final SimPeer peer;
    private final SwarmSimulation sim;
    private final SplittableRandom random;

    SimActions(SimPeer peer, SwarmSimulation sim) {
        this.peer = peer;
        this.sim = sim;
        this.random = sim.random().split();
    }

    void perform(SwarmAction a) {
        Behaviour behaviour = peer.spec().behaviour();
        if (a instanceof SwarmAction.SendRequests r) {
            SimLink link = (SimLink) r.peer();
            sim.invariants().requested(peer, link, r.blocks());
            r.blocks().forEach(b -> peer.stats.firstRequest(b.pieceIndex(), peer.now()));
            sim.network().send(link, new Frame.RequestsFrame(r.blocks()));
        } else if (a instanceof SwarmAction.SendBlock b) {
            sendBlock((SimLink) b.peer(), b.block(), b.reportSent(), behaviour);
        } else if (a instanceof SwarmAction.WriteBlock w) {
            int index = w.block().pieceIndex();
            peer.stats.downloadedBytes += w.block().lengthBytes();
            if (!peer.wants(index)) {
                peer.stats.unwantedBytes += w.block().lengthBytes();
            }
            peer.store.write(w.block(), w.data());
            if (w.verifyPiece()) {
                boolean ok = peer.store.check(index); // the disk thread's hash, reported as a later input
                sim.events().at(peer.now(), () -> peer.pieceChecked(index, ok));
            }
        } else if (a instanceof SwarmAction.Send s) {
            if (behaviour == Behaviour.FREE_RIDER && s.message() instanceof PeerMessage.Unchoke) {
                return;
            }
            if (s.message() instanceof PeerMessage.Cancel c) {
                ((SimLink) s.peer()).requestedAt.remove(c.block());
            } else if (s.message() instanceof PeerMessage.Have h) {
                peer.stats.havesSent++;
                if (((SimLink) s.peer()).remote.owner.store.has(h.pieceIndex())) {
                    peer.stats.havesToHolders++;
                    if (((SimLink) s.peer()).remote.owner.isComplete()) {
                        peer.stats.havesToSeeds++;
                    }
                }
            }
            sim.network().send((SimLink) s.peer(), Frame.MessageFrame.of(s.message()));
        } else if (a instanceof SwarmAction.Connect c) {
            sim.invariants().dialled(peer, c.address());
            sim.network().connect(peer, c.address());
        } else if (a instanceof SwarmAction.Close c) {
            SimLink link = (SimLink) c.peer();
            if (c.misbehaved()) {
                peer.stats.misbehaviourCloses.put(link.remote.owner.index, c.reason());
            }
            peer.closeLink(link, c.reason());
        } else if (a instanceof SwarmAction.Banned b) {
            sim.invariants().banned(peer, b.address());
        } else if (a instanceof SwarmAction.Completed) {
            sim.invariants().completed(peer);
        } else if (a instanceof SwarmAction.Failed f) {
            throw new IllegalStateException(peer + " failed: " + f.reason());
        }
        // SaveResume: the sim store is always saved; MetadataReceived: sim peers start from the torrent
    }

    private void sendBlock(SimLink link, BlockRequest block, boolean reportSent, Behaviour behaviour) {
        if (!peer.store.has(block.pieceIndex())) {
            throw new IllegalStateException(peer + " asked to upload " + block + " of a piece it does not have");
        }
        BlockRequest other = otherBlock(block);
        Frame.BlockFrame frame = switch (behaviour) {
            case FREE_RIDER -> null;
            case CORRUPT -> new Frame.BlockFrame(block, block, true, reportSent);
            case WRONG_BLOCK -> new Frame.BlockFrame(block, other, other.equals(block), reportSent);
            case MISLABEL -> new Frame.BlockFrame(other, other, other.equals(block), reportSent);
            default -> new Frame.BlockFrame(block, block, false, reportSent);
        };
        if (frame != null) {
            sim.network().send(link, frame);
        }
    }

    /** The same block of the next piece, or {@code block} itself when that piece is too short. */
    private BlockRequest otherBlock(BlockRequest block) {
        int pieces = sim.torrent().layout().pieceCount();
        int next = (block.pieceIndex() + 1) % pieces;
        if (next == block.pieceIndex() || sim.torrent().layout().pieceSize(next) < block.begin() + block.lengthBytes()) {
            return block;
        }
        return new BlockRequest(next, block.begin(), block.lengthBytes());
    }

    /** A flooder starts its stream on {@code link} once the handshake is done. */
    void startFlood(SimLink link) {
        Behaviour b = peer.spec().behaviour();
        if (b == Behaviour.BLOCK_FLOOD || b == Behaviour.KEEPALIVE_FLOOD || b == Behaviour.FLOOD) {
            sim.events().at(peer.now() + FLOOD_INTERVAL_MILLIS, () -> flood(link, b));
        }
    }

    private void flood(SimLink link, Behaviour b) {
        if (!link.open || !peer.alive) {
            return;
        }
        if (b != Behaviour.KEEPALIVE_FLOOD) {
            for (int i = 0; i < FLOOD_BLOCKS; i++) {
                BlockRequest x = peer.randomBlock(random);
                sim.network().send(link, new Frame.BlockFrame(x, x, false, false, true));
            }
        }
        if (b != Behaviour.BLOCK_FLOOD) {
            for (int i = 0; i < FLOOD_KEEP_ALIVES; i++) {
                sim.network().send(link, Frame.MessageFrame.of(new PeerMessage.KeepAlive()));
            }
        }
        sim.events().at(peer.now() + FLOOD_INTERVAL_MILLIS, () -> flood(link, b));
    }
}
