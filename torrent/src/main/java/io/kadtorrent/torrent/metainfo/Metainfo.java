package io.kadtorrent.torrent.metainfo;

import com.google.common.net.HostAndPort;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.RawBencode;
import io.kadtorrent.torrent.layout.PieceLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed, validated .torrent (BEP 3 v1). Immutable. The {@code info} value is kept as the exact
 * bytes read, so {@link #infoHash()} matches every other client even for non-canonical files and
 * {@link #toBytes()} never changes it. Top-level keys we do not model are preserved verbatim.
 * Build one with {@link MetainfoParser#parse(byte[])}.
 */
public final class Metainfo {

    private final InfoHash infoHash;
    private final byte[] rawInfo;
    private final String name;
    private final int pieceLengthBytes;
    private final byte[] pieceHashes;
    private final List<FileEntry> files;
    private final boolean singleFile;
    private final boolean privateTorrent;
    private final List<HostAndPort> nodes;
    private final Optional<String> announce;
    private final List<List<String>> announceList;
    private final Optional<String> comment;
    private final Optional<String> createdBy;
    private final Optional<Long> creationDateSeconds;
    private final Map<String, Object> otherKeys;
    private final List<String> warnings;
    private final PieceLayout layout;

    Metainfo(Parts p) {
        this.infoHash = InfoHash.ofInfo(p.rawInfo);
        this.rawInfo = p.rawInfo;
        this.name = p.name;
        this.pieceLengthBytes = p.pieceLengthBytes;
        this.pieceHashes = p.pieceHashes;
        this.files = List.copyOf(p.files);
        this.singleFile = p.singleFile;
        this.privateTorrent = p.privateTorrent;
        this.nodes = List.copyOf(p.nodes);
        this.announce = Optional.ofNullable(p.announce);
        this.announceList = p.announceList.stream().map(List::copyOf).toList();
        this.comment = Optional.ofNullable(p.comment);
        this.createdBy = Optional.ofNullable(p.createdBy);
        this.creationDateSeconds = Optional.ofNullable(p.creationDateSeconds);
        this.otherKeys = new LinkedHashMap<>(p.otherKeys);
        this.warnings = List.copyOf(p.warnings);
        this.layout = PieceLayout.of(files, pieceLengthBytes);
    }

    /** Mutable bag the parser fills; package-private. */
    static final class Parts {
        byte[] rawInfo;
        String name;
        int pieceLengthBytes;
        byte[] pieceHashes;
        List<FileEntry> files = new ArrayList<>();
        boolean singleFile;
        boolean privateTorrent;
        List<HostAndPort> nodes = new ArrayList<>();
        String announce;
        List<List<String>> announceList = new ArrayList<>();
        String comment;
        String createdBy;
        Long creationDateSeconds;
        Map<String, Object> otherKeys = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
    }

    /** What the parser ignored (malformed optional keys outside {@code info}), for the user to see. */
    public List<String> warnings() {
        return warnings;
    }

    /** The files a user gets, without BEP 47 padding files and symlink entries. */
    public List<FileEntry> dataFiles() {
        return files.stream().filter(FileEntry::isData).toList();
    }

    public InfoHash infoHash() {
        return infoHash;
    }

    /** The exact encoded bytes of the {@code info} value. */
    public byte[] rawInfo() {
        return rawInfo.clone();
    }

    public String name() {
        return name;
    }

    public int pieceLengthBytes() {
        return pieceLengthBytes;
    }

    public int pieceCount() {
        return pieceHashes.length / InfoHash.LENGTH;
    }

    /** The expected SHA-1 of piece {@code index}. */
    public byte[] pieceHash(int index) {
        return Arrays.copyOfRange(pieceHashes, index * InfoHash.LENGTH, (index + 1) * InfoHash.LENGTH);
    }

    /** True when piece {@code index} hashes to {@code sha1}. */
    public boolean pieceHashMatches(int index, byte[] sha1) {
        return Arrays.equals(pieceHashes, index * InfoHash.LENGTH, (index + 1) * InfoHash.LENGTH,
                sha1, 0, sha1.length);
    }

    /** Files in torrent order; a single-file torrent has one entry whose path is its name. */
    public List<FileEntry> files() {
        return files;
    }

    /** True for the BEP 3 single-file layout ({@code length} instead of {@code files}). */
    public boolean isSingleFile() {
        return singleFile;
    }

    /**
     * BEP 27: {@code private} is 1 in {@code info}. Peers of a private torrent come only from its trackers (and peers
     * the user names): a client must not look for them in the DHT or by peer exchange, nor announce it there.
     */
    public boolean isPrivate() {
        return privateTorrent;
    }

    public long totalBytes() {
        return layout.totalBytes();
    }

    /** Piece <-> file math for this torrent. */
    public PieceLayout layout() {
        return layout;
    }

    /** BEP 5 bootstrap nodes ({@code nodes} key), outside {@code info}. */
    public List<HostAndPort> nodes() {
        return nodes;
    }

    public Optional<String> announce() {
        return announce;
    }

    public List<List<String>> announceList() {
        return announceList;
    }

    /** Its trackers as BEP 12 tiers: the {@code announce-list}, else the one {@code announce} URL as a tier of one. */
    public List<List<String>> trackerTiers() {
        if (!announceList.isEmpty()) {
            return announceList;
        }
        return announce.map(a -> List.of(List.of(a))).orElse(List.of());
    }

    public Optional<String> comment() {
        return comment;
    }

    public Optional<String> createdBy() {
        return createdBy;
    }

    public Optional<Long> creationDateSeconds() {
        return creationDateSeconds;
    }

    /** A copy with its {@code nodes} replaced; {@code info} and so the info_hash are unchanged. */
    public Metainfo withNodes(List<HostAndPort> newNodes) {
        Parts p = toParts();
        p.nodes = new ArrayList<>(newNodes);
        return new Metainfo(p);
    }

    /** The .torrent file bytes: the original {@code info} bytes verbatim, other keys re-encoded. */
    public byte[] toBytes() {
        Map<String, Object> top = new LinkedHashMap<>(otherKeys);
        top.put("info", RawBencode.of(rawInfo));
        if (!nodes.isEmpty()) {
            top.put("nodes", nodes.stream()
                    .map(n -> List.<Object>of(n.getHost(), (long) n.getPort()))
                    .toList());
        }
        announce.ifPresent(a -> top.put("announce", a));
        if (!announceList.isEmpty()) {
            top.put("announce-list", announceList);
        }
        comment.ifPresent(c -> top.put("comment", c));
        createdBy.ifPresent(c -> top.put("created by", c));
        creationDateSeconds.ifPresent(d -> top.put("creation date", d));
        return BencodeCodec.encode(top);
    }

    private Parts toParts() {
        Parts p = new Parts();
        p.rawInfo = rawInfo;
        p.name = name;
        p.pieceLengthBytes = pieceLengthBytes;
        p.pieceHashes = pieceHashes;
        p.files = files;
        p.singleFile = singleFile;
        p.nodes = nodes;
        p.announce = announce.orElse(null);
        p.announceList = announceList;
        p.comment = comment.orElse(null);
        p.createdBy = createdBy.orElse(null);
        p.creationDateSeconds = creationDateSeconds.orElse(null);
        p.otherKeys = otherKeys;
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Metainfo m && Arrays.equals(toBytes(), m.toBytes());
    }

    @Override
    public int hashCode() {
        return infoHash.hashCode();
    }

    @Override
    public String toString() {
        return "Metainfo[" + name + ", " + infoHash.shortHex() + ", " + files.size() + " files, "
                + totalBytes() + " bytes]";
    }
}
