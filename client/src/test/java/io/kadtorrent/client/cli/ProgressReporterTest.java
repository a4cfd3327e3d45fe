package io.kadtorrent.client.cli;

import io.kadtorrent.engine.swarm.SwarmStats;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressReporterTest {

    private static final long MIB = 1 << 20;
    private static final long SECOND = 1_000_000_000L;

    private final StringWriter err = new StringWriter();
    private final AtomicLong clock = new AtomicLong();

    private ProgressReporter reporter(long initialVerifiedBytes, boolean dht) {
        return new ProgressReporter("t", 40 * MIB, initialVerifiedBytes, dht, new PrintWriter(err, true),
                clock::get, false);
    }

    @Test
    void aResumedDownloadsRateAndEtaLeaveOutWhatWasAlreadyOnDisk() {
        ProgressReporter progress = reporter(30 * MIB, true);
        clock.addAndGet(5 * SECOND);
        progress.update(new SwarmStats(5 * MIB, 0, 35 * MIB, 40 * MIB, 2));
        // 5 MiB in 5 s, not 35 MiB in 5 s; 5 MiB left at 1 MiB/s
        assertEquals("progress: 87.5% (35.0 MiB of 40.0 MiB), 1.0 MiB/s, 2 peers, ETA 5 s\n", err.toString());
    }

    @Test
    void withNoPeerItSaysItIsWaitingAndWhere() {
        ProgressReporter progress = reporter(0, true);
        clock.addAndGet(5 * SECOND);
        progress.update(new SwarmStats(0, 0, 0, 40 * MIB, 0));
        assertEquals("progress: 0.0% (0 B of 40.0 MiB), waiting for peers (searching the DHT)\n", err.toString());
        assertEquals("waiting for peers", reporter(0, false).peers(0));
    }

    @Test
    void onePeerIsSingular() {
        ProgressReporter progress = reporter(0, true);
        assertEquals("1 peer", progress.peers(1));
        assertEquals("2 peers", progress.peers(2));
    }

    @Test
    void plainLinesComeEveryFiveSecondsOnly() {
        ProgressReporter progress = reporter(0, true);
        clock.addAndGet(4 * SECOND);
        progress.update(new SwarmStats(0, 0, MIB, 40 * MIB, 1));
        assertEquals("", err.toString());
        clock.addAndGet(SECOND);
        progress.update(new SwarmStats(0, 0, 2 * MIB, 40 * MIB, 1));
        assertEquals("progress: 5.0% (2.0 MiB of 40.0 MiB), 409.6 KiB/s, 1 peer, ETA 95 s\n", err.toString());
    }

    @Test
    void sizesAreBinaryUnits() {
        assertEquals("512 B", ByteSize.format(512));
        assertEquals("1.5 KiB", ByteSize.format(1536));
        assertEquals("8.0 GiB", ByteSize.format(8L << 30));
        assertEquals("0 B/s", ByteSize.formatRate(0));
    }
}
