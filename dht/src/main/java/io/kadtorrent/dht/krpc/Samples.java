package io.kadtorrent.dht.krpc;

import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.List;

/**
 * The BEP 51 part of a sample_infohashes reply.
 *
 * @param intervalSeconds how long the asker should wait before asking this node again
 * @param num             how many info_hashes the node stores in all
 * @param samples         a random sample of them
 */
public record Samples(int intervalSeconds, long num, List<InfoHash> samples) {

    public static final int MAX_INTERVAL_SECONDS = 21_600; // BEP 51: interval is at most 6 hours

    public Samples {
        samples = List.copyOf(samples);
        if (intervalSeconds < 0 || intervalSeconds > MAX_INTERVAL_SECONDS || num < 0) {
            throw new IllegalArgumentException("interval must be 0..21600 s and num >= 0");
        }
    }
}
