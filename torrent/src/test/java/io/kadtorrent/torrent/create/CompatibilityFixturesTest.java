package io.kadtorrent.torrent.create;

import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Torrents made by mktorrent and libtorrent (see fixtures/make-fixtures.sh) parse here with the
 * info_hash those tools report, and our creator reproduces mktorrent's info_hash from the same data.
 */
class CompatibilityFixturesTest {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    static InfoHash expected(String torrent) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(FIXTURES.resolve("expected-info-hashes.properties"))) {
            p.load(r);
        }
        return InfoHash.parse(p.getProperty(torrent));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mktorrent-tree.torrent", "mktorrent-single.torrent", "libtorrent-tree.torrent",
            "noncanonical-single.torrent"})
    void foreignTorrentsParseWithTheInfoHashTheirToolReports(String name) throws Exception {
        Metainfo m = MetainfoParser.read(FIXTURES.resolve(name));
        assertEquals(expected(name), m.infoHash());
        assertEquals(m.infoHash(), MetainfoParser.parse(m.toBytes()).infoHash());
    }

    @Test
    void libtorrentNodesAndFilesAreRead() throws Exception {
        Metainfo m = MetainfoParser.read(FIXTURES.resolve("libtorrent-tree.torrent"));
        assertEquals("tree", m.name());
        assertEquals(List.of(com.google.common.net.HostAndPort.fromParts("127.0.0.1", 6881)), m.nodes());
        assertEquals(8, m.files().size());
        assertEquals(1000 + 3 + 40000 + 5000 + 33000 + 70000 + 100, m.totalBytes());
    }

    @Test
    void ourFolderTorrentHasMktorrentsInfoHash() throws Exception {
        Metainfo ours = TorrentCreator.create(FIXTURES.resolve("data/tree"),
                CreateOptions.defaults().withPieceLengthBytes(32768).withThreads(2));
        assertEquals(expected("mktorrent-tree.torrent"), ours.infoHash());
        Metainfo theirs = MetainfoParser.read(FIXTURES.resolve("mktorrent-tree.torrent"));
        assertEquals(theirs.files(), ours.files());
        assertTrue(theirs.files().stream().anyMatch(f -> f.displayPath().equals(".hid/y")));
    }

    @Test
    void ourSingleFileTorrentHasMktorrentsInfoHash() throws Exception {
        Metainfo ours = TorrentCreator.create(FIXTURES.resolve("data/single.bin"),
                CreateOptions.defaults().withPieceLengthBytes(32768));
        assertEquals(expected("mktorrent-single.torrent"), ours.infoHash());
        // the non-canonical fixture holds the same content with keys out of order and an extra key
        assertTrue(!ours.infoHash().equals(expected("noncanonical-single.torrent")));
    }
}
