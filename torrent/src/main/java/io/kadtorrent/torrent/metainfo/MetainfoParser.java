package io.kadtorrent.torrent.metainfo;

import com.google.common.net.HostAndPort;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeDict;
import io.kadtorrent.torrent.bencode.BencodeFieldException;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.bencode.InvalidBencodeException;
import io.kadtorrent.torrent.bencode.Span;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static java.nio.charset.StandardCharsets.UTF_8;

/** Reads and strictly validates BEP 3 .torrent bytes into a {@link Metainfo}. */
public final class MetainfoParser {

    /** Largest piece we accept: 256 MiB, far above what any client creates (16 MiB). */
    public static final int MAX_PIECE_LENGTH = 1 << 28;

    private static final Set<String> MODELLED_KEYS = Set.of(
            "info", "nodes", "announce", "announce-list", "comment", "created by", "creation date");

    private MetainfoParser() {
    }

    /** Reads a .torrent file, refusing files larger than the bencode limit before reading them. */
    public static Metainfo read(Path file) throws IOException, InvalidMetainfoException {
        long size = Files.size(file);
        if (size > BencodeLimits.TORRENT_FILE.maxBytes()) {
            throw new InvalidMetainfoException(file + " is " + size + " bytes, larger than any valid .torrent");
        }
        return parse(Files.readAllBytes(file));
    }

    public static Metainfo parse(byte[] torrent) throws InvalidMetainfoException {
        // several real-world files end with a newline (or other white space) after the dictionary
        int end = torrent.length;
        while (end > 0 && isTrailingSpace(torrent[end - 1])) {
            end--;
        }
        if (end < torrent.length) {
            torrent = java.util.Arrays.copyOf(torrent, end);
        }
        BencodeCodec.Decoded decoded;
        try {
            decoded = BencodeCodec.decodeDictionary(torrent, BencodeLimits.TORRENT_FILE);
        } catch (InvalidBencodeException e) {
            throw new InvalidMetainfoException("not a .torrent file: " + e.getMessage(), e);
        }
        try {
            return parse(torrent, decoded);
        } catch (BencodeFieldException e) {
            throw new InvalidMetainfoException(e.getMessage(), e);
        }
    }

    private static boolean isTrailingSpace(byte b) {
        return b == '\n' || b == '\r' || b == ' ' || b == '\t' || b == 0;
    }

    private static Metainfo parse(byte[] torrent, BencodeCodec.Decoded decoded)
            throws BencodeFieldException, InvalidMetainfoException {
        BencodeDict top = decoded.dict();
        BencodeDict info = top.dict("info");
        Span infoSpan = decoded.spans().get("info");

        Metainfo.Parts p = new Metainfo.Parts();
        p.rawInfo = java.util.Arrays.copyOfRange(torrent, infoSpan.start(), infoSpan.end());
        p.name = info.has("name.utf-8") ? info.utf8("name.utf-8") : info.utf8("name");
        require(FileEntry.componentProblem(p.name) == null,
                "info.name is not a safe file name: " + FileEntry.componentProblem(p.name));

        if (!info.has("pieces") && (info.has("file tree") || info.has("meta version"))) {
            throw new InvalidMetainfoException("BitTorrent v2-only torrents are not supported yet (this one has no"
                    + " v1 piece hashes; a hybrid v1+v2 torrent of the same data would work)");
        }
        long pieceLength = info.integer("piece length");
        require(pieceLength > 0, "info.piece length must be > 0");
        require(pieceLength <= MAX_PIECE_LENGTH, "info.piece length must be <= " + MAX_PIECE_LENGTH);
        p.pieceLengthBytes = (int) pieceLength;

        byte[] pieces = info.bytes("pieces");
        require(pieces.length % InfoHash.LENGTH == 0, "info.pieces length must be a multiple of 20");
        p.pieceHashes = pieces.clone();

        readFiles(info, p);
        // BEP 27: private=1; anything else (or a malformed value) is a public torrent, as other clients read it
        p.privateTorrent = optional(p, "private", () -> Long.valueOf(1).equals(info.integerOrNull("private")), false);
        long total = 0;
        for (FileEntry f : p.files) {
            total = addChecked(total, f.lengthBytes());
        }
        require(total > 0, "info has no data: total length is 0");
        long expectedPieces = (total + pieceLength - 1) / pieceLength;
        require(expectedPieces == pieces.length / InfoHash.LENGTH,
                "info.pieces has " + pieces.length / InfoHash.LENGTH + " hashes but the files need "
                        + expectedPieces + " pieces");

        // outside info everything is optional: a malformed key costs a warning, never the torrent
        p.nodes = optional(p, "nodes", () -> readNodes(top), new ArrayList<>());
        p.announce = optional(p, "announce", () -> top.utf8OrNull("announce"), null);
        p.announceList = optional(p, "announce-list", () -> readAnnounceList(top), new ArrayList<>());
        p.comment = optional(p, "comment", () -> top.utf8OrNull("comment"), null);
        p.createdBy = optional(p, "created by", () -> top.utf8OrNull("created by"), null);
        p.creationDateSeconds = optional(p, "creation date", () -> top.integerOrNull("creation date"), null);
        top.asMap().forEach((k, v) -> {
            if (!MODELLED_KEYS.contains(k)) {
                p.otherKeys.put(k, v);
            }
        });
        return new Metainfo(p);
    }

    /** Reads one optional key; a malformed one is recorded in {@link Metainfo#warnings()} and ignored. */
    private static <T> T optional(Metainfo.Parts p, String key, OptionalKey<T> read, T fallback) {
        try {
            return read.read();
        } catch (BencodeFieldException | InvalidMetainfoException | RuntimeException e) {
            p.warnings.add("ignored the malformed optional key '" + key + "': " + e.getMessage());
            return fallback;
        }
    }

    private interface OptionalKey<T> {
        T read() throws BencodeFieldException, InvalidMetainfoException;
    }

    private static void readFiles(BencodeDict info, Metainfo.Parts p)
            throws BencodeFieldException, InvalidMetainfoException {
        boolean hasLength = info.has("length");
        boolean hasFiles = info.has("files");
        require(hasLength != hasFiles, "info must have exactly one of length or files");
        if (hasLength) {
            long length = info.integer("length");
            require(length >= 0, "info.length must be >= 0");
            p.singleFile = true;
            p.files.add(new FileEntry(List.of(p.name), length));
            return;
        }
        List<BencodeDict> entries = info.dictList("files");
        require(!entries.isEmpty(), "info.files must not be empty");
        Set<String> seenFiles = new HashSet<>();
        Set<String> seenFolders = new HashSet<>();
        for (BencodeDict entry : entries) {
            long length = entry.integer("length");
            require(length >= 0, entry.field("length") + " must be >= 0");
            String pathKey = entry.has("path.utf-8") ? "path.utf-8" : "path";
            List<Object> rawPath = entry.list(pathKey);
            require(!rawPath.isEmpty(), entry.field(pathKey) + " must not be empty");
            List<String> path = new ArrayList<>(rawPath.size());
            for (int i = 0; i < rawPath.size(); i++) {
                String field = entry.field(pathKey) + "[" + i + "]";
                require(rawPath.get(i) instanceof byte[], field + " must be a byte string");
                String component = new String((byte[]) rawPath.get(i), UTF_8);
                String problem = FileEntry.componentProblem(component);
                require(problem == null, field + " is not a safe path component: " + problem);
                path.add(component);
            }
            String attr = entry.has("attr") && entry.asMap().get("attr") instanceof byte[] a
                    ? new String(a, java.nio.charset.StandardCharsets.US_ASCII) : "";
            FileEntry file = new FileEntry(path, length, attr);
            if (file.isData()) { // BEP 47: pad files often share one name (".pad/N"); they are never written
                checkNoClash(path, seenFiles, seenFolders, entry.field(pathKey));
            }
            p.files.add(file);
        }
    }

    /** Two files with one path, or a file where another needs a folder, cannot both be written. */
    private static void checkNoClash(List<String> path, Set<String> files, Set<String> folders, String field)
            throws InvalidMetainfoException {
        String joined = String.join("/", path);
        require(!files.contains(joined) && !folders.contains(joined), field + " duplicates another path");
        for (int i = 1; i < path.size(); i++) {
            String folder = String.join("/", path.subList(0, i));
            require(!files.contains(folder), field + " lies below a path that is a file");
            folders.add(folder);
        }
        files.add(joined);
    }

    private static List<HostAndPort> readNodes(BencodeDict top)
            throws BencodeFieldException, InvalidMetainfoException {
        List<Object> raw = top.listOrNull("nodes");
        List<HostAndPort> nodes = new ArrayList<>();
        if (raw == null) {
            return nodes;
        }
        for (int i = 0; i < raw.size(); i++) {
            String field = "nodes[" + i + "]";
            require(raw.get(i) instanceof List<?> pair && pair.size() == 2
                            && pair.get(0) instanceof byte[] && pair.get(1) instanceof Long,
                    field + " must be a [host, port] list");
            List<?> pair = (List<?>) raw.get(i);
            long port = (Long) pair.get(1);
            require(port > 0 && port <= 65_535, field + " port must be 1..65535");
            try {
                nodes.add(HostAndPort.fromParts(new String((byte[]) pair.get(0), UTF_8), (int) port));
            } catch (IllegalArgumentException e) {
                throw new InvalidMetainfoException(field + " host is not valid: " + e.getMessage());
            }
        }
        return nodes;
    }

    private static List<List<String>> readAnnounceList(BencodeDict top)
            throws BencodeFieldException, InvalidMetainfoException {
        List<Object> tiers = top.listOrNull("announce-list");
        List<List<String>> out = new ArrayList<>();
        if (tiers == null) {
            return out;
        }
        for (int i = 0; i < tiers.size(); i++) {
            require(tiers.get(i) instanceof List<?>, "announce-list[" + i + "] must be a list");
            List<String> tier = new ArrayList<>();
            for (Object url : (List<?>) tiers.get(i)) {
                require(url instanceof byte[], "announce-list[" + i + "] entries must be byte strings");
                tier.add(new String((byte[]) url, UTF_8));
            }
            out.add(tier);
        }
        return out;
    }

    private static long addChecked(long a, long b) throws InvalidMetainfoException {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new InvalidMetainfoException("info file lengths overflow a 64-bit total");
        }
    }

    private static void require(boolean ok, String message) throws InvalidMetainfoException {
        if (!ok) {
            throw new InvalidMetainfoException(message);
        }
    }
}
