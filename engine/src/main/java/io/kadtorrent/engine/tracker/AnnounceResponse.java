package io.kadtorrent.engine.tracker;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * What a tracker answered: peers, and when to ask again.
 *
 * @param intervalSeconds    re-announce after this long
 * @param minIntervalSeconds never sooner than this (0 when the tracker gives none)
 * @param seeders            complete peers it knows, or -1
 * @param leechers           incomplete peers it knows, or -1
 * @param warning            a message the tracker wants shown
 */
public record AnnounceResponse(int intervalSeconds, int minIntervalSeconds, List<InetSocketAddress> peers, int seeders,
                               int leechers, Optional<String> warning) {

    public AnnounceResponse {
        peers = List.copyOf(peers);
    }
}
