package io.kadtorrent.client.net;

import io.kadtorrent.client.wire.PeerMessage;
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

    /** Retains each piece message's block as the swarm does for the disk; the test releases them. */
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
    public boolean onOpen(PeerConnection connection) {
        this.connection = connection;
        return true;
    }

    @Override
    public void onMessage(PeerConnection connection, PeerMessage message) {
        if (keepBlocks && message instanceof PeerMessage.Piece p) {
            p.retain();
        }
        messages.add(message);
    }

    @Override
    public void onWritable(PeerConnection connection) {
    }

    @Override
    public void onClose(PeerConnection connection) {
    }
}
