package io.kadtorrent.metadata.catalog;

import io.kadtorrent.metadata.signing.SignatureFileText;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.InvalidMetainfoException;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * The catalog's files on disk: for each torrent {@code <hex>.torrent} (the bytes as published)
 * and {@code <hex>.sig} (publisher key + signature). A publish writes the {@code .sig} first
 * and the {@code .torrent} last, each through a temp file, fsync and atomic rename, then fsyncs
 * the folder: the rename of the {@code .torrent} is the commit point. An unpublish deletes in
 * the opposite order ({@code .torrent}, then {@code .sig}, then fsync of the folder). So after a
 * crash at any moment a torrent is either fully there or absent, and {@link #load()} only has to
 * sweep temp files and {@code .sig} files whose {@code .torrent} never arrived or is gone.
 */
final class CatalogFolder {

    private static final Logger log = LoggerFactory.getLogger(CatalogFolder.class);
    private static final Pattern TORRENT_FILE = Pattern.compile("[0-9a-f]{40}\\.torrent");
    private static final Pattern SIG_FILE = Pattern.compile("[0-9a-f]{40}\\.sig");
    static final String TEMP_SUFFIX = ".tmp";

    private final Path dir;

    CatalogFolder(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    Path dir() {
        return dir;
    }

    Path torrentFile(InfoHash h) {
        return dir.resolve(h.hex() + ".torrent");
    }

    Path sigFile(InfoHash h) {
        return dir.resolve(h.hex() + ".sig");
    }

    /** Durably stores one entry; returns once both files and the folder are on disk. */
    void write(byte[] torrentBytes, InfoHash h, TorrentSignature signature) throws IOException {
        writeAtomically(sigFile(h), SignatureFileText.format(signature).getBytes(US_ASCII));
        writeAtomically(torrentFile(h), torrentBytes);
        fsyncFolder();
    }

    /**
     * Durably removes one entry: the {@code .torrent} first (the commit point: without it the
     * entry is gone, and {@link #load()} sweeps a {@code .sig} left alone by a crash), then the
     * {@code .sig}, then fsyncs the folder so the removal survives a power cut.
     */
    void remove(InfoHash h) throws IOException {
        Files.deleteIfExists(torrentFile(h));
        Files.deleteIfExists(sigFile(h));
        fsyncFolder();
    }

    /** Reads every committed entry, removing what a crash left behind and skipping damaged files. */
    List<CatalogEntry> load() throws IOException {
        List<CatalogEntry> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)) {
                    log.info("removing {} left by an interrupted publish", name);
                    Files.deleteIfExists(f);
                } else if (SIG_FILE.matcher(name).matches() && !Files.exists(torrentFileOf(f))) {
                    log.info("removing {}: no .torrent beside it (a publish that never committed, or an unpublish)", name);
                    Files.deleteIfExists(f);
                } else if (TORRENT_FILE.matcher(name).matches()) {
                    readEntry(f, name).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    private Path torrentFileOf(Path sig) {
        String name = sig.getFileName().toString();
        return dir.resolve(name.substring(0, name.length() - ".sig".length()) + ".torrent");
    }

    private Optional<CatalogEntry> readEntry(Path torrent, String name) {
        String hex = name.substring(0, 40);
        Path sig = dir.resolve(hex + ".sig");
        try {
            Metainfo m = MetainfoParser.read(torrent);
            if (!m.infoHash().hex().equals(hex)) {
                throw new InvalidMetainfoException("info_hash is " + m.infoHash().hex() + ", not the file name");
            }
            if (!Files.exists(sig)) {
                throw new InvalidMetainfoException("no " + sig.getFileName() + " beside it (not published through the server)");
            }
            TorrentSignature s = SignatureFileText.parse(sig.toString(), Files.readString(sig, US_ASCII));
            if (!s.verifies(m)) {
                throw new InvalidMetainfoException("signature in " + sig.getFileName() + " does not verify");
            }
            return java.util.Optional.of(new CatalogEntry(m, s));
        } catch (IOException | InvalidMetainfoException e) {
            // Not ours to delete: an operator may have put it there. Say so and serve the rest.
            log.warn("skipping catalog file {}: {}", name, e.getMessage());
            return java.util.Optional.empty();
        }
    }

    private void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true); // the bytes must be on disk before the rename can make them visible
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void fsyncFolder() throws IOException {
        // Makes the renames themselves durable (POSIX); not possible on every platform.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot fsync folder {}: {}", dir, e.toString());
        }
    }
}
