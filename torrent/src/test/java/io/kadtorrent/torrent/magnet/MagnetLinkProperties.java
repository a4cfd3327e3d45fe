package io.kadtorrent.torrent.magnet;

import com.google.common.net.HostAndPort;
import io.kadtorrent.torrent.metainfo.InfoHash;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MagnetLinkProperties {

    @Property(tries = 500)
    void parseOfToUriGivesTheSameLink(@ForAll @Size(20) byte[] hash, @ForAll("texts") Optional<String> name,
                                      @ForAll @Size(max = 3) List<@net.jqwik.api.From("texts") Optional<String>> trackers,
                                      @ForAll("peers") List<HostAndPort> peers,
                                      @ForAll @Size(max = 5) List<@net.jqwik.api.constraints.IntRange(max = 5000) Integer> only) {
        MagnetLink link = new MagnetLink(InfoHash.of(hash), name,
                trackers.stream().map(t -> t.orElse("")).toList(), peers, only);
        assertEquals(link, MagnetLink.parse(link.toUri()));
    }

    @Property(tries = 500)
    void arbitraryTextAfterThePrefixParsesOrFailsWithIllegalArgument(@ForAll String junk) {
        try {
            MagnetLink.parse("magnet:?" + junk);
        } catch (IllegalArgumentException expected) {
            // the only allowed failure
        }
    }

    @Example
    void selectOnlyReadsIndicesAndRangesAsBep53Writes() {
        MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btih:" + "ab".repeat(20) + "&so=0,2,4-6,2");
        assertEquals(List.of(0, 2, 4, 5, 6), link.selectOnly());
        assertTrue(link.toUri().endsWith("&so=0,2,4,5,6"), link.toUri());
        for (String bad : List.of("so=1-", "so=-3", "so=5-2", "so=x", "so=1-2-3", "so=0-99999999")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MagnetLink.parse("magnet:?xt=urn:btih:" + "ab".repeat(20) + "&" + bad));
            assertTrue(e.getMessage().startsWith("magnet link so:"), e.getMessage());
        }
    }

    @Provide
    Arbitrary<Optional<String>> texts() {
        return Arbitraries.strings().ofMaxLength(30).injectNull(0.2).map(Optional::ofNullable);
    }

    @Provide
    Arbitrary<List<HostAndPort>> peers() {
        Arbitrary<String> host = Arbitraries.of("127.0.0.1", "::1", "example.invalid", "10.1.2.3");
        return net.jqwik.api.Combinators.combine(host, Arbitraries.integers().between(1, 65535))
                .as(HostAndPort::fromParts).list().ofMaxSize(3);
    }
}
