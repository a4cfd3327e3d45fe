package io.kadtorrent.torrent.create;

import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.RawBencode;
import io.kadtorrent.torrent.metainfo.FileEntry;
import io.kadtorrent.torrent.metainfo.InvalidMetainfoException;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a BEP 3 (v1) .torrent of a file or a folder. The {@code info} dictionary holds exactly
 * the keys mktorrent writes ({@code name}, {@code piece length}, {@code pieces}, and
 * {@code length} or {@code files}), files in mktorrent's order, so the same input and piece
 * length give the same info_hash as mktorrent.
 */
public final class TorrentCreator {

    private TorrentCreator() {
    }

    /** Creates the torrent in memory; see {@link #create(Path, CreateOptions, CreationProgress)}. */
    public static Metainfo create(Path source, CreateOptions options) throws IOException {
        return create(source, options, CreationProgress.NONE);
    }

    /**
     * Lists and hashes {@code source}. {@code progress} hears about each hashed piece, from the
     * hashing threads. Empty files are allowed; input with no bytes at all is rejected.
     */
    public static Metainfo create(Path source, CreateOptions options, CreationProgress progress) throws IOException {
        String name = options.name() != null ? options.name() : nameOf(source);
        String problem = FileEntry.componentProblem(name);
        if (problem != null) {
            throw new InvalidSourceException("torrent name \"" + name + "\" is not a safe file name: " + problem);
        }
        List<SourceFile> files = SourceTree.list(source, name, options.filter());
        long totalBytes = files.stream().mapToLong(SourceFile::lengthBytes).sum();
        if (totalBytes == 0) {
            String left = options.filter().keepsEverything() ? "" : " (hidden and excluded entries were left out)";
            throw new InvalidSourceException(source + (files.isEmpty() ? " contains no files" : " has no data: every file is empty")
                    + left);
        }
        int pieceLength = options.pieceLengthBytes() != 0
                ? options.pieceLengthBytes() : PieceLengthChoice.forTotal(totalBytes);
        byte[] pieces = PieceHasher.hash(files, pieceLength, options.threads(),
                hashed -> progress.onHashed(hashed, totalBytes));
        boolean singleFile = !Files.isDirectory(source); // BEP 3: a file gives the single-file layout
        Map<String, Object> infoDict = infoDictionary(name, pieceLength, pieces, files, singleFile);
        if (options.privateTorrent()) {
            infoDict.put("private", 1L); // BEP 27, inside info: it is part of the info_hash
        }
        byte[] info = BencodeCodec.encode(infoDict);
        try {
            return MetainfoParser.parse(BencodeCodec.encode(topLevel(info, options)));
        } catch (InvalidMetainfoException e) {
            throw new IllegalStateException("created an invalid torrent: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> infoDictionary(String name, int pieceLength, byte[] pieces,
                                                      List<SourceFile> files, boolean singleFile) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("piece length", (long) pieceLength);
        info.put("pieces", pieces);
        if (singleFile) {
            info.put("length", files.get(0).lengthBytes());
        } else {
            info.put("files", files.stream()
                    .map(f -> Map.of("length", f.lengthBytes(), "path", f.path()))
                    .toList());
        }
        return info;
    }

    private static Map<String, Object> topLevel(byte[] info, CreateOptions options) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("info", RawBencode.of(info));
        if (options.comment() != null) {
            top.put("comment", options.comment());
        }
        if (options.createdBy() != null) {
            top.put("created by", options.createdBy());
        }
        Instant date = options.creationDate() != null ? options.creationDate() : Instant.now();
        top.put("creation date", date.getEpochSecond());
        if (!options.trackers().isEmpty()) {
            top.put("announce", options.trackers().get(0).get(0));
            if (options.trackers().size() > 1 || options.trackers().get(0).size() > 1) {
                top.put("announce-list", options.trackers()); // BEP 12
            }
        }
        if (!options.nodes().isEmpty()) {
            // BEP 5: "nodes" = [["<host>", <port>], ...] for trackerless torrents
            top.put("nodes", options.nodes().stream()
                    .map(n -> List.<Object>of(n.getHost(), (long) n.getPort()))
                    .toList());
        }
        return top;
    }

    private static String nameOf(Path source) throws InvalidSourceException {
        Path fileName = source.toAbsolutePath().normalize().getFileName();
        if (fileName == null) {
            throw new InvalidSourceException("cannot name a torrent of " + source + "; give a name");
        }
        return fileName.toString();
    }
}
