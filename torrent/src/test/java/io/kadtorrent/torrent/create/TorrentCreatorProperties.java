package io.kadtorrent.torrent.create;

import io.kadtorrent.torrent.metainfo.FileEntry;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** create -> parse round trips over random file trees, checked against a naive model. */
class TorrentCreatorProperties {

    private static final int PIECE = 16384;

    record TreeFile(String path, int size) {
    }

    @Property(tries = 40)
    void createdTorrentsParseBackWithTheFilesAndPieceHashesOfTheTree(
            @ForAll("trees") List<TreeFile> tree, @ForAll @IntRange(min = 1, max = 4) int threads) throws Exception {
        Path root = Files.createTempDirectory("kt-tree");
        try {
            Path share = root.resolve("share");
            Files.createDirectories(share);
            for (TreeFile f : tree) {
                Path p = share.resolve(f.path());
                Files.createDirectories(p.getParent());
                Files.write(p, content(f));
            }
            long total = tree.stream().mapToLong(TreeFile::size).sum();
            if (total == 0) {
                return; // all-empty input is rejected; covered by TorrentCreatorTest
            }
            Metainfo created = TorrentCreator.create(share,
                    CreateOptions.defaults().withPieceLengthBytes(PIECE).withThreads(threads));
            Metainfo parsed = MetainfoParser.parse(created.toBytes());
            assertEquals(created.infoHash(), parsed.infoHash());

            List<TreeFile> expected = tree.stream()
                    .sorted(Comparator.comparing(f -> f.path().getBytes(UTF_8), Arrays::compareUnsigned))
                    .toList();
            assertEquals(expected.stream().map(TreeFile::path).toList(),
                    parsed.files().stream().map(FileEntry::displayPath).toList());
            assertEquals(expected.stream().map(f -> (long) f.size()).toList(),
                    parsed.files().stream().map(FileEntry::lengthBytes).toList());

            ByteArrayOutputStream all = new ByteArrayOutputStream();
            expected.forEach(f -> all.writeBytes(content(f)));
            byte[] bytes = all.toByteArray();
            assertEquals((bytes.length + PIECE - 1) / PIECE, parsed.pieceCount());
            for (int i = 0; i < parsed.pieceCount(); i++) {
                byte[] piece = Arrays.copyOfRange(bytes, i * PIECE, Math.min(bytes.length, (i + 1) * PIECE));
                assertArrayEquals(MessageDigest.getInstance("SHA-1").digest(piece), parsed.pieceHash(i));
            }
        } finally {
            deleteTree(root);
        }
    }

    @Provide
    Arbitrary<List<TreeFile>> trees() {
        Arbitrary<String> component = Arbitraries.of("a", "b", "B", ".h", "a-b", "\u00fc", "z z", "1");
        Arbitrary<String> path = component.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("/", l));
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(1, 3 * PIECE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(PIECE, PIECE - 1, PIECE + 1)));
        return Combinators.combine(path, size).as(TreeFile::new).list().ofMinSize(1).ofMaxSize(8)
                .map(TorrentCreatorProperties::withoutClashes);
    }

    /** Drops files whose path is taken, or is a folder of, or lies below, another file. */
    private static List<TreeFile> withoutClashes(List<TreeFile> files) {
        Map<String, TreeFile> kept = new TreeMap<>();
        for (TreeFile f : files) {
            boolean clash = kept.keySet().stream().anyMatch(k -> k.equals(f.path())
                    || k.startsWith(f.path() + "/") || f.path().startsWith(k + "/"));
            if (!clash) {
                kept.put(f.path(), f);
            }
        }
        return new ArrayList<>(kept.values());
    }

    private static byte[] content(TreeFile f) {
        byte[] b = new byte[f.size()];
        int seed = f.path().hashCode();
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed + i * 7 + (i >> 8));
        }
        return b;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

}
