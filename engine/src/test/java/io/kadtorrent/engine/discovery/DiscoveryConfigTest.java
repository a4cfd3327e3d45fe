package io.kadtorrent.engine.discovery;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DiscoveryConfigTest {

    @Test
    void shortLookupIntervalAlsoShortensTheFirstGap() {
        DiscoveryConfig c = DiscoveryConfig.defaults(6881).withLookupInterval(ofMillis(500));
        assertEquals(ofMillis(500), c.firstLookupGap());
        assertEquals(ofMillis(500), c.lookupInterval());
        assertEquals(Duration.ofMinutes(15), c.maxBackoff());
    }

    @Test
    void longLookupIntervalRaisesTheMaximumBackoff() {
        DiscoveryConfig c = DiscoveryConfig.defaults(6881).withLookupInterval(Duration.ofHours(1));
        assertEquals(ofSeconds(2), c.firstLookupGap());
        assertEquals(Duration.ofHours(1), c.maxBackoff());
    }

    @Test
    void rejectsInconsistentTimings() {
        assertThrows(IllegalArgumentException.class, () -> new DiscoveryConfig(0, ofSeconds(2), ofSeconds(30),
                ofSeconds(60), ofSeconds(60)));
        assertThrows(IllegalArgumentException.class, () -> new DiscoveryConfig(1, ofSeconds(40), ofSeconds(30),
                ofSeconds(60), ofSeconds(60)));
        assertThrows(IllegalArgumentException.class, () -> new DiscoveryConfig(1, ofSeconds(2), ofSeconds(30),
                ofSeconds(10), ofSeconds(60)));
        assertThrows(IllegalArgumentException.class, () -> new DiscoveryConfig(1, ofSeconds(2), ofSeconds(30),
                ofSeconds(60), Duration.ZERO));
    }
}
