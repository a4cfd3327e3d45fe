package io.kadtorrent.engine.sim;

import io.kadtorrent.engine.swarm.SwarmAction;
import io.kadtorrent.engine.swarm.SwarmConfig;
import io.kadtorrent.engine.swarm.SwarmCore;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by the swarm simulation (seed 1, 50 peers, each introduced to 30): a core given more addresses
 * than it may dial at once asked for its timer "now" again and again, so a runtime would spin.
 */
class TimerSpinTest {

    @Test
    void addressesWaitingForAHalfOpenSlotDoNotMakeTheTimerDueNow() {
        SyntheticTorrent t = SyntheticTorrent.of(1, 1 << 20, 64 * 1024);
        long now = 1_000;
        SwarmCore core = SwarmCore.forTorrent(t.metainfo(), new BitSet(), SwarmConfig.defaults(),
                new SplittableRandom(1), now);
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            addresses.add(SimNetwork.address(i, SimNetwork.LISTEN_PORT));
        }
        core.addPeers(now, addresses, false);
        int dials = 0;
        for (SwarmAction a = core.poll(); a != null; a = core.poll()) {
            dials += a instanceof SwarmAction.Connect ? 1 : 0;
        }
        assertEquals(SwarmConfig.defaults().maxHalfOpen(), dials);
        core.timer(now);
        assertTrue(core.nextTimerMillis() > now, "timer due again at " + core.nextTimerMillis() + " after timer(" + now + ")");
    }
}
