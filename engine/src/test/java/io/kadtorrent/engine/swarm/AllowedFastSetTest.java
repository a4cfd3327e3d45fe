package io.kadtorrent.engine.swarm;

import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AllowedFastSetTest {

    private static final InfoHash ALL_AA = InfoHash.of(filled((byte) 0xAA));

    private static byte[] filled(byte b) {
        byte[] out = new byte[InfoHash.LENGTH];
        Arrays.fill(out, b);
        return out;
    }

    private static Inet4Address ip(String dotted) throws Exception {
        return (Inet4Address) InetAddress.getByName(dotted);
    }

    @Test
    void matchesTheBep6Examples() throws Exception {
        // BEP 6: peer 80.4.4.200, info_hash 0xAA x 20, 1313 pieces
        assertEquals(List.of(1059, 431, 808, 1217, 287, 376, 1188), AllowedFastSet.of(ip("80.4.4.200"), ALL_AA, 1313, 7));
        assertEquals(List.of(1059, 431, 808, 1217, 287, 376, 1188, 353, 508),
                AllowedFastSet.of(ip("80.4.4.200"), ALL_AA, 1313, 9));
    }

    @Test
    void dependsOnlyOnTheSlash24() throws Exception {
        assertEquals(AllowedFastSet.of(ip("80.4.4.200"), ALL_AA, 1313, 10), AllowedFastSet.of(ip("80.4.4.1"), ALL_AA, 1313, 10));
    }

    @Test
    void aTorrentWithFewerPiecesThanKGivesEveryPieceOnce() throws Exception {
        List<Integer> set = AllowedFastSet.of(ip("10.0.0.1"), ALL_AA, 3, 10);
        assertEquals(List.of(0, 1, 2), set.stream().sorted().toList());
    }
}
