package io.kadtorrent.engine.net;

import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.ArrayList;
import java.util.List;

/** A torrent for pipeline tests: accepts every peer and records the messages it is handed. */
class RecordingTorrent implements PeerTorrent {

    final List<PeerMessage> messages = new ArrayList<>();
    PeerConnection connection; // the last one opened
    private final InfoHash infoHash;
    private final int maxFrameBytes;
    private boolean keepBlocks;

    RecordingTorrent(InfoHash infoHash, int maxFrameBytes) {
        this.infoHash = infoHash;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Keeps each piece message's block as the disk writer would; the test releases them. */
    RecordingTorrent keepingBlocks() {
        keepBlocks = true;
        return this;
    }

    @Override
    public InfoHash infoHash() {
        return infoHash;
    }

    @Override
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    @Override
    public void connected(PeerConnection connection) {
        this.connection = connection;
    }

    @Override
    public void received(PeerConnection connection, PeerMessage message) {
        if (!keepBlocks && message instanceof PeerMessage.Piece p) {
            p.release(); // as the swarm core does with a block it does not keep
        }
        messages.add(message);
    }

    @Override
    public void closed(PeerConnection connection) {
    }
}
