package io.kadtorrent.torrent.create;

import com.google.common.net.HostAndPort;
import io.kadtorrent.torrent.metainfo.FileEntry;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorrentCreatorTest {

    @TempDir
    Path dir;

    private static final CreateOptions SMALL = CreateOptions.defaults().withPieceLengthBytes(16384).withThreads(3);

    private Path write(String relative, int size) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + relative.hashCode());
        }
        return Files.write(p, data);
    }

    @Test
    void singleFileGivesTheSingleFileLayoutAndCorrectPieceHashes() throws Exception {
        Path file = write("movie.bin", 50_000);
        Metainfo m = TorrentCreator.create(file, SMALL);
        assertTrue(m.isSingleFile());
        assertEquals("movie.bin", m.name());
        assertEquals(50_000, m.totalBytes());
        assertEquals(4, m.pieceCount());
        byte[] data = Files.readAllBytes(file);
        for (int i = 0; i < 4; i++) {
            int from = i * 16384;
            byte[] piece = java.util.Arrays.copyOfRange(data, from, Math.min(data.length, from + 16384));
            assertTrue(m.pieceHashMatches(i, MessageDigest.getInstance("SHA-1").digest(piece)), "piece " + i);
        }
    }

    @Test
    void folderFilesComeInMktorrentOrderWithHiddenAndEmptyFiles() throws Exception {
        Path root = dir.resolve("share");
        write("share/a/b", 10);
        write("share/a-c", 10);
        write("share/.hidden", 3);
        write("share/.hid/y", 3);
        write("share/B", 1);
        write("share/empty", 0);
        Metainfo m = TorrentCreator.create(root, SMALL);
        assertFalse(m.isSingleFile());
        // strcmp over '/'-joined paths: '.'(2e) < 'B'(42) < 'a'(61); "a-c" < "a/b" since '-' < '/'
        assertEquals(List.of(".hid/y", ".hidden", "B", "a-c", "a/b", "empty"),
                m.files().stream().map(FileEntry::displayPath).toList());
        assertEquals(0, m.files().get(5).lengthBytes());
    }

    @Test
    void symbolicLinksInsideTheFolderAreFollowed() throws Exception {
        write("share/real", 100);
        Files.createSymbolicLink(dir.resolve("share/link"), Path.of("real"));
        Metainfo m = TorrentCreator.create(dir.resolve("share"), SMALL);
        assertEquals(List.of("link", "real"), m.files().stream().map(FileEntry::displayPath).toList());
        assertEquals(200, m.totalBytes());
    }

    @Test
    void symbolicLinksLeavingTheFolderAreRejected() throws Exception {
        write("share/ok", 100);
        Path outside = write("secret", 10);
        Files.createSymbolicLink(dir.resolve("share/leak"), outside);
        InvalidSourceException e = assertThrows(InvalidSourceException.class,
                () -> TorrentCreator.create(dir.resolve("share"), SMALL));
        assertTrue(e.getMessage().contains("points outside"), e.getMessage());

        Files.delete(dir.resolve("share/leak"));
        Files.createSymbolicLink(dir.resolve("share/up"), dir);
        assertThrows(InvalidSourceException.class, () -> TorrentCreator.create(dir.resolve("share"), SMALL));
    }

    @Test
    void linkLoopsInsideTheFolderAreRejectedNotFollowedForever() throws Exception {
        write("share/sub/f", 10);
        Files.createSymbolicLink(dir.resolve("share/sub/up"), Path.of(".."));
        assertTrue(assertThrows(InvalidSourceException.class, () -> TorrentCreator.create(dir.resolve("share"), SMALL))
                .getMessage().contains("loop"));
    }

    @Test
    void brokenLinksAreRejectedClearly() throws Exception {
        write("share/ok", 100);
        Files.createSymbolicLink(dir.resolve("share/dangling"), Path.of("nowhere"));
        assertTrue(assertThrows(InvalidSourceException.class, () -> TorrentCreator.create(dir.resolve("share"), SMALL))
                .getMessage().contains("broken symbolic link"));
    }

    @Test
    void inputWithoutDataIsAnError() throws Exception {
        write("share/empty1", 0);
        write("share/empty2", 0);
        assertTrue(assertThrows(InvalidSourceException.class, () -> TorrentCreator.create(dir.resolve("share"), SMALL))
                .getMessage().contains("every file is empty"));
        Files.createDirectories(dir.resolve("nothing"));
        assertTrue(assertThrows(InvalidSourceException.class, () -> TorrentCreator.create(dir.resolve("nothing"), SMALL))
                .getMessage().contains("contains no files"));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> TorrentCreator.create(dir.resolve("missing"), SMALL));
    }

    @Test
    void optionsEndUpInTheTorrent() throws Exception {
        Path file = write("f.bin", 1000);
        Metainfo m = TorrentCreator.create(file, SMALL.withName("renamed").withComment("c\u00e9")
                .withCreatedBy("me").withCreationDate(Instant.ofEpochSecond(1_700_000_000L))
                .withNodes(List.of(HostAndPort.fromParts("127.0.0.1", 6881), HostAndPort.fromParts("::1", 7))));
        assertEquals("renamed", m.name());
        assertEquals("c\u00e9", m.comment().orElseThrow());
        assertEquals("me", m.createdBy().orElseThrow());
        assertEquals(1_700_000_000L, m.creationDateSeconds().orElseThrow());
        assertEquals(List.of(HostAndPort.fromParts("127.0.0.1", 6881), HostAndPort.fromParts("::1", 7)), m.nodes());
        // nodes, comment and dates live outside info: the info_hash does not depend on them
        assertEquals(TorrentCreator.create(file, SMALL.withName("renamed")).infoHash(), m.infoHash());
    }

    @Test
    void trackersBecomeAnnounceAndTiersAnnounceList() throws Exception {
        Path file = write("f.bin", 1000);
        Metainfo one = TorrentCreator.create(file, SMALL.withTrackers(List.of(List.of("udp://tracker.example:6969"))));
        assertEquals(Optional.of("udp://tracker.example:6969"), one.announce());
        assertEquals(List.of(), one.announceList(), "one URL: no announce-list, as mktorrent writes it");
        List<List<String>> tiers = List.of(List.of("http://a.example/announce", "https://b.example/announce"),
                List.of("udp://c.example:80"));
        Metainfo many = TorrentCreator.create(file, SMALL.withTrackers(tiers));
        assertEquals(Optional.of("http://a.example/announce"), many.announce());
        assertEquals(tiers, many.announceList());
        assertEquals(TorrentCreator.create(file, SMALL).infoHash(), many.infoHash(), "trackers live outside info");
    }

    @Test
    void privateGoesInsideInfoAndSoChangesTheInfoHash() throws Exception {
        Path file = write("f.bin", 1000);
        Metainfo open = TorrentCreator.create(file, SMALL);
        Metainfo closed = TorrentCreator.create(file, SMALL.withPrivate(true));
        assertFalse(open.isPrivate());
        assertTrue(closed.isPrivate());
        assertNotEquals(open.infoHash(), closed.infoHash());
    }

    @Test
    void unsafeNamesAreRejected() throws Exception {
        Path file = write("f.bin", 10);
        assertThrows(InvalidSourceException.class, () -> TorrentCreator.create(file, SMALL.withName("..")));
        assertThrows(InvalidSourceException.class, () -> TorrentCreator.create(file, SMALL.withName("a/b")));
        write("share/back\\slash", 10);
        assertThrows(InvalidSourceException.class, () -> TorrentCreator.create(dir.resolve("share"), SMALL));
    }

    @Test
    void automaticPieceLengthKeepsPiecesBetween1000And2000() throws Exception {
        Path file = write("f.bin", 40 << 20 | 123);
        Metainfo m = TorrentCreator.create(file, CreateOptions.defaults());
        assertEquals(32 << 10, m.pieceLengthBytes());
        assertTrue(m.pieceCount() >= 1000 && m.pieceCount() <= 2000, "pieces " + m.pieceCount());
    }

    @Test
    void progressReportsEveryByteOnce() throws Exception {
        write("share/a", 100_000);
        write("share/b", 77_777);
        AtomicLong last = new AtomicLong();
        AtomicLong total = new AtomicLong();
        TorrentCreator.create(dir.resolve("share"), SMALL, (hashed, all) -> {
            last.accumulateAndGet(hashed, Math::max);
            total.set(all);
        });
        assertEquals(177_777, last.get());
        assertEquals(177_777, total.get());
    }

    @Test
    void theNumberOfThreadsDoesNotChangeTheResult() throws Exception {
        write("share/x/1", 70_000);
        write("share/x/2", 5);
        write("share/3", 33_333);
        Metainfo one = TorrentCreator.create(dir.resolve("share"), SMALL.withThreads(1));
        Metainfo four = TorrentCreator.create(dir.resolve("share"), SMALL.withThreads(4));
        assertEquals(one.infoHash(), four.infoHash());
    }

    @Test
    void aFileThatShrinksAfterListingIsAClearError() throws Exception {
        write("share/a", 50_000);
        Path b = write("share/b", 50_000);
        List<SourceFile> listed = SourceTree.list(dir.resolve("share"), "share");
        try (RandomAccessFile raf = new RandomAccessFile(b.toFile(), "rw")) {
            raf.setLength(10_000);
        }
        IOException e = assertThrows(IOException.class, () -> PieceHasher.hash(listed, 16384, 2, hashed -> { }));
        assertTrue(e.getMessage().contains("became shorter while it was being hashed"), e.getMessage());
    }

    @Test
    void writerReplacesTheTargetAtomicallyAndLeavesNoTempFiles() throws Exception {
        Path file = write("f.bin", 1000);
        Metainfo m = TorrentCreator.create(file, SMALL);
        Path out = dir.resolve("out/f.torrent");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "old contents");
        TorrentFileWriter.write(m, out);
        assertEquals(m.infoHash(), MetainfoParser.read(out).infoHash());
        try (var listing = Files.list(out.getParent())) {
            assertEquals(List.of(out), listing.toList());
        }
    }

    @Test
    void optionsRejectBadValues() {
        assertThrows(IllegalArgumentException.class, () -> CreateOptions.defaults().withPieceLengthBytes(1000));
        assertThrows(IllegalArgumentException.class, () -> CreateOptions.defaults().withPieceLengthBytes(8192));
        assertThrows(IllegalArgumentException.class, () -> CreateOptions.defaults().withThreads(0));
        assertThrows(IllegalArgumentException.class,
                () -> CreateOptions.defaults().withNodes(List.of(HostAndPort.fromString("nohost"))));
        for (String url : new String[]{"ftp://x.example/a", "tracker.example:6969", "http:///announce", "http://a b/"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CreateOptions.defaults().withTrackers(List.of(List.of(url))), url);
            assertTrue(e.getMessage().contains(url), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> CreateOptions.defaults().withTrackers(List.of(List.of())));
    }
}
