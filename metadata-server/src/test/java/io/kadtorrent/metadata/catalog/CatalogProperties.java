package io.kadtorrent.metadata.catalog;

import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.metadata.protocol.TorrentSummary;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.metainfo.Metainfo;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Paging and search agree with a brute-force model of the catalog. Few tries: each publish fsyncs. */
class CatalogProperties {

    private static final SigningKey KEY = SigningKey.generate(new SecureRandom());

    @Property(tries = 15)
    void pagesCoverTheCatalogOnceInOrderAndSearchMatchesBruteForce(
            @ForAll("names") List<String> names, @ForAll @IntRange(min = 1, max = 7) int pageSize,
            @ForAll("patterns") String pattern) throws Exception {
        Path dir = Files.createTempDirectory("catalog-prop");
        try {
            Catalog c = Catalog.open(dir);
            List<Metainfo> all = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                byte[] t = TestTorrents.singleFile(names.get(i), 10, i);
                Metainfo m = TestTorrents.parse(t);
                c.publish(t, m, TorrentSignature.sign(KEY, m));
                all.add(m);
            }
            List<TorrentSummary> expected = all.stream()
                    .sorted(Comparator.comparing(Metainfo::name).thenComparing(Metainfo::infoHash))
                    .map(m -> new TorrentSummary(m.infoHash(), m.name(), m.totalBytes(), 1, KEY.publicKey())).toList();

            assertEquals(expected, collect(c, null, pageSize));
            String lower = pattern.toLowerCase(Locale.ROOT);
            assertEquals(expected.stream().filter(s -> s.name().toLowerCase(Locale.ROOT).contains(lower)).toList(),
                    collect(c, pattern, pageSize));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private static List<TorrentSummary> collect(Catalog c, String pattern, int pageSize) {
        List<TorrentSummary> out = new ArrayList<>();
        for (int page = 0; page < 100; page++) {
            Catalog.Page p = pattern == null ? c.list(out.size(), pageSize) : c.search(pattern, out.size(), pageSize);
            out.addAll(p.torrents());
            if (p.torrents().isEmpty() || out.size() >= p.total()) {
                break;
            }
        }
        return out;
    }

    @Provide
    Arbitrary<List<String>> names() {
        return Arbitraries.strings().withChars('a', 'b', 'A', 'B', '.', '-', 'é').ofMaxLength(6)
                .map(s -> "n" + s) // "." and ".." are not valid torrent names
                .list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars('a', 'b', 'A', 'B', '.', 'é').ofMaxLength(2);
    }
}
