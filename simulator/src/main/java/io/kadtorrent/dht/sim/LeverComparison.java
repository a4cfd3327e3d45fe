package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.engine.DhtEngine;

import java.util.Arrays;
import java.util.Locale;

/**
 * The scale benchmark's A/B of one lookup lever ({@code -Dscale.ab=fastFirst}: {@link DhtEngine#askFastFirst};
 * {@code -Dscale.ab=stragglers}: {@link DhtEngine#askPastStragglers}): both variants measured on one built network,
 * interleaved, so that the comparison does not depend on the machine's load or on a second build.
 */
final class LeverComparison {

    private LeverComparison() {
    }

    /**
     * On the network just built, lookups with the lever off and on in turn (4 rounds, off first,
     * each {@code lookups / 2} find_node, then {@code lookups / 200} announces and {@code lookups / 20} timed
     * get_peers of them), printed per variant on stderr; the lever is then left as it was.
     */
    static void run(SimulatedDht dht, int lookups, String lever) {
        boolean stragglers = switch (lever) {
            case "fastFirst", "true" -> false;
            case "stragglers" -> true;
            default -> throw new IllegalArgumentException("-Dscale.ab=fastFirst|stragglers: " + lever);
        };
        boolean was = Boolean.getBoolean(stragglers ? "scale.stragglers" : "scale.fastFirst");
        ScaleBenchmark.Stats[] stats = {new ScaleBenchmark.Stats(lookups), new ScaleBenchmark.Stats(lookups)};
        long[][] firstPeer = {new long[0], new long[0]};
        for (int round = 0; round < 4; round++) {
            int variant = round % 2;
            set(dht, stragglers, variant == 1);
            ScaleBenchmark.Stats s = ScaleBenchmark.runLookups(dht, Math.max(1, lookups / 2));
            ScaleBenchmark.Stats all = stats[variant];
            for (int i = 0; i < s.count; i++) {
                all.hops[all.count] = s.hops[i];
                all.messages[all.count] = s.messages[i];
                all.millis[all.count] = s.millis[i];
                all.count++;
            }
            all.exact += s.exact;
            // announced afresh each round: with dead nodes about, a round can outlast the announces' 30 minutes
            TorrentRounds.Announces announces = TorrentRounds.announce(dht, Math.max(1, lookups / 200));
            long[] fp = TorrentRounds.firstPeerMillis(dht, announces, Math.max(1, lookups / 20));
            long[] joined = Arrays.copyOf(firstPeer[variant], firstPeer[variant].length + fp.length);
            System.arraycopy(fp, 0, joined, firstPeer[variant].length, fp.length);
            firstPeer[variant] = joined;
        }
        for (int v = 0; v < 2; v++) {
            ScaleBenchmark.Stats s = stats[v];
            long[] fp = firstPeer[v];
            System.err.printf(Locale.ROOT, "A/B %s %s: %d lookups, exact %.1f %%, hops %d / %d, messages %d / %d,"
                            + " ms to K closest %d / %d / %d; %d get_peers, ms to first peer %d / %d / %d%n",
                    lever, v == 1 ? "on" : "off", s.count, 100.0 * s.exact / s.count, s.median(s.hops), s.p99(s.hops),
                    s.median(s.messages), s.p99(s.messages), s.median(s.millis), s.percentile(s.millis, 0.9),
                    s.p99(s.millis), fp.length, ScaleBenchmark.percentile(fp, 0.5), ScaleBenchmark.percentile(fp, 0.9), ScaleBenchmark.percentile(fp, 0.99));
        }
        set(dht, stragglers, was);
    }

    private static void set(SimulatedDht dht, boolean stragglers, boolean on) {
        if (stragglers) {
            dht.askPastStragglers(on);
        } else {
            dht.askFastFirst(on);
        }
    }
}
