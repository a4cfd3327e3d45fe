package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the tests that drive a {@link SwarmCore} by hand in virtual time extend: a 100-piece one-file torrent
 * written afresh for each test, cores over it, peers named by {@link Link}, and readers of the actions a core
 * hands back.
 */
abstract class SwarmCoreFixture {

    static final int PIECE = 32 * 1024;
    static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 7001);
    static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 7002);

    @TempDir
    Path tmp;
    Metainfo metainfo;

    /** A handle the core hands back in its actions. */
    record Link(String name) implements PeerLink {
    }

    @BeforeEach
    void torrent() throws Exception {
        metainfo = TestTorrents.singleFile(tmp, "f.bin", 100 * PIECE, PIECE, 1);
    }

    /** A core with these pieces, default config and seeded randomness. */
    SwarmCore core(BitSet verified) {
        return SwarmCore.forTorrent(metainfo, verified, SwarmConfig.defaults(), new SplittableRandom(1), 0);
    }

    /** Every piece of the torrent. */
    BitSet all() {
        BitSet all = new BitSet();
        all.set(0, metainfo.pieceCount());
        return all;
    }

    /** The link's name as a 20-byte peer id: distinct per name, the same for the same name. */
    static byte[] peerId(Link link) {
        return Arrays.copyOf(link.name().getBytes(StandardCharsets.US_ASCII), 20);
    }

    /** Every action the core has queued, in order. */
    static List<SwarmAction> drain(SwarmCore core) {
        List<SwarmAction> out = new ArrayList<>();
        for (SwarmAction a = core.poll(); a != null; a = core.poll()) {
            out.add(a);
        }
        return out;
    }

    /** The actions of one type. */
    static <T extends SwarmAction> List<T> of(List<SwarmAction> actions, Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
