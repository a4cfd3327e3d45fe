package io.kadtorrent.torrent.magnet;

import com.google.common.net.HostAndPort;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MagnetLinkTest {

    private static final InfoHash HASH = InfoHash.parse("38ff7097811e26ac16cf0a160fff4c063583888d");

    @Test
    void buildsHexLinkWithPercentEncodedName() {
        assertEquals("magnet:?xt=urn:btih:38ff7097811e26ac16cf0a160fff4c063583888d&dn=a%20b%26c%3D%C3%BC%2B",
                MagnetLink.of(HASH, "a b&c=\u00fc+").toUri());
        assertEquals("magnet:?xt=urn:btih:38ff7097811e26ac16cf0a160fff4c063583888d", MagnetLink.of(HASH, null).toUri());
    }

    @Test
    void parsesHexAndBase32AndUnderstandsPlusAsSpace() {
        MagnetLink hex = MagnetLink.parse("magnet:?xt=urn:btih:38FF7097811E26AC16CF0A160FFF4C063583888D&dn=my+file");
        assertEquals(HASH, hex.infoHash());
        assertEquals(Optional.of("my file"), hex.displayName());
        MagnetLink b32 = MagnetLink.parse("MAGNET:?dn=x&xt=urn:btih:" + HASH.base32().toLowerCase());
        assertEquals(HASH, b32.infoHash());
    }

    @Test
    void readsTrackersAndPeersAndIgnoresUnknownParameters() {
        MagnetLink m = MagnetLink.parse("magnet:?xt=urn:btih:" + HASH.hex()
                + "&tr=http%3A%2F%2Ft.invalid%2Fa&x.pe=127.0.0.1:6881&x.pe=%5B::1%5D:7&ws=http://x&xl=10&&");
        assertEquals(List.of("http://t.invalid/a"), m.trackers());
        assertEquals(List.of(HostAndPort.fromParts("127.0.0.1", 6881), HostAndPort.fromParts("::1", 7)), m.peers());
        assertEquals(m, MagnetLink.parse(m.toUri()));
    }

    @Test
    void tellsMagnetsFromOtherArguments() {
        assertTrue(MagnetLink.looksLikeMagnet("Magnet:?xt=urn:btih:" + HASH.hex()));
        assertFalse(MagnetLink.looksLikeMagnet(HASH.hex()));
        assertFalse(MagnetLink.looksLikeMagnet("file.torrent"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "http://x", "magnet:?", "magnet:?dn=x", "magnet:?xt=urn:btih:1234",
            "magnet:?xt=urn:btih:zz" + "0123456789012345678901234567890123456789",
            "magnet:?xt=urn:btih:38ff7097811e26ac16cf0a160fff4c063583888d&dn=%zz",
            "magnet:?xt=urn:btih:38ff7097811e26ac16cf0a160fff4c063583888d&x.pe=nohostport",
            "magnet:?xt=urn:btih:38ff7097811e26ac16cf0a160fff4c063583888d&xt=urn:btih:0000000000000000000000000000000000000000",
            "magnet:?xt=urn:btmh:1220aaaa"})
    void rejectsBadLinksWithAMessage(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MagnetLink.parse(text));
        assertTrue(e.getMessage().contains("magnet"), e.getMessage());
    }

    @Test
    void refusesOverlongLinksBeforeParsing() {
        String huge = "magnet:?xt=urn:btih:" + HASH.hex() + "&dn=" + "a".repeat(MagnetLink.MAX_LENGTH);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MagnetLink.parse(huge)).getMessage().contains("longer"));
    }
}
