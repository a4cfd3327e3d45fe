package io.kadtorrent.engine.tracker;

import io.kadtorrent.torrent.metainfo.InfoHash;

/**
 * One announce to a tracker (BEP 3, BEP 15): who we are, how far we are, and why we ask.
 *
 * @param key     a number stable for the session, so a tracker knows us across address changes
 * @param numWant how many peers we want back
 */
public record AnnounceRequest(InfoHash infoHash, byte[] peerId, int port, long uploaded, long downloaded, long left,
                              Event event, int key, int numWant) {

    /** BEP 3 {@code event}; {@link #NONE} for the regular re-announce. */
    public enum Event {
        NONE(0, null), COMPLETED(1, "completed"), STARTED(2, "started"), STOPPED(3, "stopped");

        final int udpCode;
        final String httpName;

        Event(int udpCode, String httpName) {
            this.udpCode = udpCode;
            this.httpName = httpName;
        }
    }

    public AnnounceRequest {
        peerId = peerId.clone();
        if (peerId.length != 20) {
            throw new IllegalArgumentException("peer_id must be 20 bytes");
        }
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }
}
