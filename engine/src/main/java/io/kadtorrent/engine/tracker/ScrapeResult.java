package io.kadtorrent.engine.tracker;

/**
 * What a tracker says of one torrent's swarm when scraped (BEP 48, BEP 15).
 *
 * @param seeders   peers with the whole torrent ({@code complete})
 * @param completed downloads the tracker saw finish ({@code downloaded})
 * @param leechers  peers still downloading ({@code incomplete})
 */
public record ScrapeResult(int seeders, int completed, int leechers) {
}
