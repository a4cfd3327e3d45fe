package io.kadtorrent.simulator;

import io.kadtorrent.dht.sim.LinkModel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Options out of range are refused with a message that names the option and its bounds. */
class SimulationOptionsTest {

    private static final LinkModel LINK = LinkModel.lossless();

    @Test
    void refusesMoreThanTwoMillionNodes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SimulationOptions(2_000_001, 10, 0, 1, 1, LINK, 1));
        assertEquals("nodes must be 2 to 2,000,000, not 2,000,001", e.getMessage());
    }

    @Test
    void refusesOtherValuesOutOfRange() {
        assertEquals("nodes must be 2 to 2,000,000, not 1",
                assertThrows(IllegalArgumentException.class, () -> new SimulationOptions(1, 10, 0, 1, 1, LINK, 1)).getMessage());
        assertEquals("lookups must be 1 to 1,000,000, not 0",
                assertThrows(IllegalArgumentException.class, () -> new SimulationOptions(10, 0, 0, 1, 1, LINK, 1)).getMessage());
        assertEquals("churn must be a fraction from 0 to 0.9, not 0.95",
                assertThrows(IllegalArgumentException.class, () -> new SimulationOptions(10, 1, 0.95, 1, 1, LINK, 1)).getMessage());
        assertEquals("churn must be a fraction from 0 to 0.9, not NaN",
                assertThrows(IllegalArgumentException.class, () -> new SimulationOptions(10, 1, Double.NaN, 1, 1, LINK, 1)).getMessage());
        assertEquals("churn steps must be 1 to 100, not 0",
                assertThrows(IllegalArgumentException.class, () -> new SimulationOptions(10, 1, 0.1, 0, 1, LINK, 1)).getMessage());
        assertEquals("torrents must be 1 to 10,000, not 0",
                assertThrows(IllegalArgumentException.class, () -> new SimulationOptions(10, 1, 0.1, 1, 0, LINK, 1)).getMessage());
    }

    @Test
    void describesTheLink() {
        assertEquals("uniform 10-100 ms one way, 0.0 % loss", SimulationOptions.defaults().linkDescription());
        assertEquals("log-normal RTT, median 100 ms, sigma 0.8, one way 5-1500 ms, 5.0 % loss",
                new SimulationOptions(10, 1, 0, 1, 1, LinkModel.mainline(), 1).linkDescription());
    }

    @Test
    void percentilesAreNearestRank() {
        Distribution d = Distribution.of(new int[] {5, 1, 4, 2, 3});
        assertEquals(1, d.percentile(0));
        assertEquals(3, d.median());
        assertEquals(5, d.percentile(0.99));
        assertEquals(5, d.max());
        assertEquals(0, Distribution.of(new int[0]).median());
    }
}
