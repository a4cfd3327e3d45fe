package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.wire.BlockData;
import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What the {@link SwarmCore} asks its runtime to do; the runtime polls them after every input and
 * performs them in order. Each reports back, if at all, as a later input.
 */
public sealed interface SwarmAction {

    /** Open a connection to {@code address}; report {@code peerConnected} or {@code connectFailed}. */
    record Connect(InetSocketAddress address) implements SwarmAction {
    }

    record Send(PeerLink peer, PeerMessage message) implements SwarmAction {
    }

    /** One request message per block, in order, as one write. */
    record SendRequests(PeerLink peer, List<BlockRequest> blocks) implements SwarmAction {
        public SendRequests {
            blocks = List.copyOf(blocks);
        }
    }

    /**
     * Send {@code block} of a verified piece, read from storage. When {@code reportSent}, tell the core
     * ({@code peerSent}) once it has left our buffers, so it sends the next burst.
     */
    record SendBlock(PeerLink peer, BlockRequest block, boolean reportSent) implements SwarmAction {
    }

    /** Close the connection; {@code misbehaved} means the reason is the peer's fault (logged as a warning). */
    record Close(PeerLink peer, String reason, boolean misbehaved) implements SwarmAction {
    }

    /**
     * Write a received block (the runtime now owns {@code data} and releases it once written); then,
     * when {@code verifyPiece}, hash the piece and report {@code pieceChecked}. {@code urgent}: a reader waits
     * for its piece, so it may pass writes queued before it (every block of a piece has the same flag).
     */
    record WriteBlock(BlockRequest block, BlockData data, boolean verifyPiece, boolean urgent) implements SwarmAction {
        public WriteBlock(BlockRequest block, BlockData data, boolean verifyPiece) {
            this(block, data, verifyPiece, false);
        }
    }

    /**
     * Save resume data once every write asked for before has been done; {@code forced}: force the files
     * to disk first, so it survives a power failure (otherwise it is trusted until the machine reboots).
     */
    record SaveResume(boolean forced) implements SwarmAction {
    }

    /**
     * The user's file priorities changed: storage learns which files are skipped (they are not created,
     * and their share of a piece with a wanted file is kept aside) before any block for a newly wanted file.
     */
    record SetFilePriorities(List<FilePriority> priorities) implements SwarmAction {
        public SetFilePriorities {
            priorities = List.copyOf(priorities);
        }
    }

    /** A magnet download got its verified metadata: open storage, then report {@code storageReady}. */
    record MetadataReceived(Metainfo metainfo) implements SwarmAction {
    }

    /** Every piece is verified on disk. */
    record Completed() implements SwarmAction {
    }

    /** The download cannot go on (storage failed, metadata invalid). */
    record Failed(String reason) implements SwarmAction {
    }

    /** {@code address} sent bad data and is refused from now on. */
    record Banned(InetSocketAddress address) implements SwarmAction {
    }
}
