package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What the swarm core knows of its torrent's content and what the user wants of it: the metainfo (null until
 * a magnet's BEP 9 fetch completes it), each file's priority and sequential mode (kept until storage is
 * ready, then applied), and the {@link Downloads} once storage is open. Confined to the core's thread.
 */
final class Content {

    private final SwarmConfig config;
    private final RandomGenerator random;
    private final ConnectedPeers peers;
    private final Outbox actions;
    private final Connections connections;
    private final Throttle downThrottle;
    private Metainfo metainfo; // null until the metadata is known (magnet)
    private Downloads downloads; // null until storage is ready
    private List<FilePriority> filePriorities; // null: every file normal
    private boolean sequential;

    Content(SwarmConfig config, RandomGenerator random, ConnectedPeers peers, Outbox actions, Connections connections,
            Throttle downThrottle) {
        this.config = config;
        this.random = random;
        this.peers = peers;
        this.actions = actions;
        this.connections = connections;
        this.downThrottle = downThrottle;
    }

    /** Null until the metadata is known. */
    Metainfo metainfo() {
        return metainfo;
    }

    /** Null until storage is ready. */
    Downloads downloads() {
        return downloads;
    }

    void learn(Metainfo m) {
        this.metainfo = m;
    }

    /** Opens the downloads over storage with {@code verified} pieces, applying the settings made before. */
    Downloads storageReady(long now, BitSet verified) {
        if (metainfo == null || downloads != null) {
            throw new IllegalStateException("storage is ready only once, after the metadata");
        }
        downloads = new Downloads(metainfo, verified, random, peers.all(), actions, connections, downThrottle,
                config.redundantHaves());
        connections.downloadsStarted(downloads);
        downloads.setSequential(now, sequential);
        if (filePriorities != null) {
            downloads.setPieceLevels(now, FilePriority.pieceLevels(metainfo.layout(), metainfo.files(), filePriorities));
        }
        return downloads;
    }

    /** Judged before {@link #peerGone} clears what it had: a seed is not dialled again once we are complete too. */
    boolean isSeed(PeerState s) {
        return s.uploadOnly || metainfo != null && s.pieces.cardinality() == metainfo.pieceCount();
    }

    void peerGone(PeerState s) {
        if (downloads != null) {
            downloads.peerGone(s);
        }
    }

    /** What a newly connected peer hears first (BEP 3 bitfield or BEP 6 have_all/none), or null. */
    PeerMessage announcement(PeerState s) {
        return FastExtension.announcement(s.fast, downloads == null ? null : downloads.verified(),
                metainfo == null ? 0 : metainfo.pieceCount());
    }

    boolean isComplete() {
        return downloads != null && downloads.isComplete();
    }

    List<FilePriority> filePriorities() {
        if (metainfo == null) {
            return List.of();
        }
        return filePriorities != null ? filePriorities
                : Collections.nCopies(metainfo.files().size(), FilePriority.NORMAL);
    }

    /** Records and announces the priorities; true when they were applied to the downloads (storage is ready). */
    boolean setFilePriorities(long now, List<FilePriority> priorities) {
        if (metainfo == null) {
            throw new IllegalStateException("file priorities need the torrent's metadata");
        }
        byte[] levels = FilePriority.pieceLevels(metainfo.layout(), metainfo.files(), priorities);
        filePriorities = List.copyOf(priorities);
        actions.add(new SwarmAction.SetFilePriorities(filePriorities)); // storage first, before any new request
        if (downloads == null) {
            return false; // applied when storage is ready
        }
        downloads.setPieceLevels(now, levels);
        return true;
    }

    void setSequential(long now, boolean on) {
        sequential = on;
        if (downloads != null) {
            downloads.setSequential(now, on);
        }
    }

    boolean isSequential() {
        return sequential;
    }

    void setUrgent(long now, List<Integer> pieces) {
        if (downloads != null) {
            downloads.setUrgent(now, pieces);
        }
    }

    List<Integer> urgent() {
        return downloads == null ? List.of() : downloads.urgent();
    }

    SwarmStats stats(long uploadedBytes, int connected) {
        long verifiedBytes = downloads == null ? 0 : downloads.verifiedBytes();
        long total = metainfo == null ? 0 : metainfo.totalBytes();
        long down = downloads == null ? 0 : downloads.downloadedBytes();
        if (downloads == null) {
            return new SwarmStats(down, uploadedBytes, verifiedBytes, total, connected);
        }
        return new SwarmStats(down, uploadedBytes, verifiedBytes, total, connected, downloads.wantedBytes(),
                downloads.wantedVerifiedBytes());
    }

    Map<InetSocketAddress, Long> downloadedByPeer() {
        return downloads == null ? Map.of() : downloads.downloadedByPeer();
    }

    /** The disk writer's queue went over its high-water mark ({@code true}) or back under its low one. */
    void diskBacklog(long now, boolean backlogged) {
        if (downloads != null) {
            downloads.setBacklogged(backlogged);
            if (!backlogged) {
                downloads.refillAll(now);
            }
        }
    }

    void refillAll(long now) {
        if (downloads != null) {
            downloads.refillAll(now);
        }
    }
}
