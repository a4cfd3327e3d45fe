package io.kadtorrent.engine.sim;

/**
 * One simulated peer's nature: how it behaves, its link capacities (bytes per second; 0 means
 * unlimited) and whether it starts with every piece.
 */
record PeerSpec(Behaviour behaviour, long uploadBytesPerSecond, long downloadBytesPerSecond, boolean seed) {

    PeerSpec {
        if (uploadBytesPerSecond < 0 || downloadBytesPerSecond < 0) {
            throw new IllegalArgumentException("rates must be >= 0");
        }
    }

    static PeerSpec leecher(long uploadBytesPerSecond, long downloadBytesPerSecond) {
        return new PeerSpec(Behaviour.HONEST, uploadBytesPerSecond, downloadBytesPerSecond, false);
    }

    static PeerSpec seeder(long uploadBytesPerSecond) {
        return new PeerSpec(Behaviour.HONEST, uploadBytesPerSecond, 0, true);
    }

    PeerSpec with(Behaviour b) {
        return new PeerSpec(b, uploadBytesPerSecond, downloadBytesPerSecond, seed);
    }
}
