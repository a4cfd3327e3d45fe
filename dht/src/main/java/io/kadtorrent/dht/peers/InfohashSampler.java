package io.kadtorrent.dht.peers;

import io.kadtorrent.dht.krpc.Samples;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * BEP 51 sample_infohashes, server side: a random sample of the info_hashes the {@link PeerStore}
 * holds, drawn afresh at most once per {@link #INTERVAL_SECONDS}, so crawlers learn the store no
 * faster than that. Engine-thread only.
 */
public final class InfohashSampler {

    /** BEP 51: how long before asking again; its maximum, as libtorrent uses, to keep crawling slow. */
    public static final int INTERVAL_SECONDS = Samples.MAX_INTERVAL_SECONDS;
    /** 20 x 20 bytes, plus 8 nodes, keeps the reply well inside one datagram. */
    public static final int MAX_SAMPLES = 20;

    private final PeerStore peers;
    private final RandomGenerator random;
    private List<InfoHash> sample = List.of();
    private long nextDrawMillis = Long.MIN_VALUE;

    public InfohashSampler(PeerStore peers, RandomGenerator random) {
        this.peers = peers;
        this.random = random;
    }

    /** The current sample; a new one is drawn when the last is older than the interval or was empty. */
    public Samples sample(long nowMillis) {
        if (nowMillis >= nextDrawMillis || sample.isEmpty()) {
            List<InfoHash> all = new ArrayList<>(peers.infoHashes());
            for (int i = 0; i < Math.min(MAX_SAMPLES, all.size()); i++) { // partial Fisher-Yates
                int j = i + random.nextInt(all.size() - i);
                InfoHash t = all.get(i);
                all.set(i, all.get(j));
                all.set(j, t);
            }
            sample = List.copyOf(all.subList(0, Math.min(MAX_SAMPLES, all.size())));
            nextDrawMillis = nowMillis + INTERVAL_SECONDS * 1_000L;
        }
        long secondsLeft = Math.max(0, (nextDrawMillis - nowMillis) / 1_000);
        return new Samples((int) Math.min(INTERVAL_SECONDS, secondsLeft), peers.torrentCount(), sample);
    }
}
