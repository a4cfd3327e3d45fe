package io.kadtorrent.metadata.server;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarningThrottleTest {

    @Test
    void warnsOncePerAddressWhateverThePort() throws Exception {
        WarningThrottle t = new WarningThrottle();
        InetAddress a = InetAddress.getByAddress(new byte[]{127, 0, 0, 1});
        InetAddress b = InetAddress.getByAddress(new byte[]{127, 0, 0, 2});
        assertTrue(t.shouldWarn(new InetSocketAddress(a, 1000)));
        assertFalse(t.shouldWarn(new InetSocketAddress(a, 1001)));
        assertTrue(t.shouldWarn(new InetSocketAddress(b, 1000)));
    }
}
