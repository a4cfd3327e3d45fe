package io.kadtorrent.dht.sim;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomDistribution;

/**
 * Uniform generators for the simulation properties. jqwik biases numbers towards their bounds by
 * default, which would keep networks near the smallest size; the claims are about the whole range.
 */
final class SimulationParameters {

    private SimulationParameters() {
    }

    static Arbitrary<Integer> networkSizes(int min, int max) {
        return Arbitraries.integers().between(min, max).withDistribution(RandomDistribution.uniform());
    }

    /** Loss rate per datagram, 0 to 10 %. */
    static Arbitrary<Double> lossRates() {
        return Arbitraries.integers().between(0, 100).withDistribution(RandomDistribution.uniform()).map(p -> p / 1000.0);
    }

    static Arbitrary<Long> seeds() {
        return Arbitraries.longs().withDistribution(RandomDistribution.uniform());
    }
}
