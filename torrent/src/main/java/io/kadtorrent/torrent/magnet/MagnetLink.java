package io.kadtorrent.torrent.magnet;

import com.google.common.net.HostAndPort;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A BEP 9 magnet link: {@code magnet:?xt=urn:btih:<info_hash>&dn=<name>&tr=<tracker>&x.pe=<host:port>}.
 * The info_hash is written as 40 hex digits and read as hex or 32 base32 characters. Parameters
 * we do not model are ignored when parsing.
 *
 * @param infoHash    the torrent's identity ({@code xt})
 * @param displayName a name to show before the metadata is known ({@code dn})
 * @param trackers    tracker URLs ({@code tr}), in order
 * @param peers       peer addresses to try first ({@code x.pe}), in order
 * @param selectOnly  BEP 53 {@code so=}: the indices of the only files to download (empty: all), ascending
 */
public record MagnetLink(InfoHash infoHash, Optional<String> displayName, List<String> trackers,
                         List<HostAndPort> peers, List<Integer> selectOnly) {

    /** More file indices than this in one {@code so=} is refused (a range expands to its members). */
    public static final int MAX_SELECTED_FILES = 100_000;

    /** Longer links are refused before parsing; real ones are a few hundred characters. */
    public static final int MAX_LENGTH = 64 << 10;

    private static final String PREFIX = "magnet:?";
    private static final String BTIH = "urn:btih:"; // BEP 9: BitTorrent info_hash URN

    public MagnetLink(InfoHash infoHash, Optional<String> displayName, List<String> trackers, List<HostAndPort> peers) {
        this(infoHash, displayName, trackers, peers, List.of());
    }

    public MagnetLink {
        trackers = List.copyOf(trackers);
        peers = List.copyOf(peers);
        selectOnly = List.copyOf(new TreeSet<>(selectOnly));
        for (HostAndPort peer : peers) {
            if (!peer.hasPort()) {
                throw new IllegalArgumentException("peer needs a port: " + peer);
            }
        }
    }

    public static MagnetLink of(InfoHash infoHash, String displayName) {
        return new MagnetLink(infoHash, Optional.ofNullable(displayName), List.of(), List.of());
    }

    /** The link to a torrent: its info_hash, name and every tracker it names ({@code announce-list}, else {@code announce}). */
    public static MagnetLink of(Metainfo m) {
        List<String> trackers = new ArrayList<>();
        for (List<String> tier : m.trackerTiers()) {
            for (String url : tier) {
                if (!trackers.contains(url)) {
                    trackers.add(url);
                }
            }
        }
        return new MagnetLink(m.infoHash(), Optional.of(m.name()), trackers, List.of());
    }

    /** True when {@code text} starts like a magnet link (to tell it from a file name or hash). */
    public static boolean looksLikeMagnet(String text) {
        return text.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /**
     * Parses a magnet link.
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static MagnetLink parse(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("magnet link longer than " + MAX_LENGTH + " characters");
        }
        if (!looksLikeMagnet(text)) {
            throw new IllegalArgumentException("not a magnet link (must start with magnet:?)");
        }
        InfoHash hash = null;
        String name = null;
        List<String> trackers = new ArrayList<>();
        List<HostAndPort> peers = new ArrayList<>();
        List<Integer> selectOnly = new ArrayList<>();
        for (String param : text.substring(PREFIX.length()).split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String key = eq < 0 ? param : param.substring(0, eq);
            String value = eq < 0 ? "" : decode(key, param.substring(eq + 1));
            switch (key) {
                case "xt" -> {
                    if (value.regionMatches(true, 0, BTIH, 0, BTIH.length())) {
                        InfoHash h = parseHash(value.substring(BTIH.length()));
                        if (hash != null && !hash.equals(h)) {
                            throw new IllegalArgumentException("magnet link has two different btih info_hashes");
                        }
                        hash = h;
                    }
                }
                case "dn" -> name = value;
                case "tr" -> trackers.add(value);
                case "x.pe" -> peers.add(parsePeer(value));
                case "so" -> parseSelection(value, selectOnly);
                default -> { } // BEP 9: unknown parameters are ignored
            }
        }
        if (hash == null) {
            throw new IllegalArgumentException("magnet link has no xt=urn:btih:<info_hash>");
        }
        return new MagnetLink(hash, Optional.ofNullable(name), trackers, peers, selectOnly);
    }

    /** BEP 53: {@code so=0,2,4-6} lists file indices and inclusive ranges of them. */
    private static void parseSelection(String text, List<Integer> into) {
        for (String item : text.split(",")) {
            String[] ends = item.strip().split("-", -1);
            if (ends.length > 2) {
                throw new IllegalArgumentException("magnet link so: '" + item + "' is not an index or a range");
            }
            int from = parseIndex(ends[0]);
            int to = ends.length == 2 ? parseIndex(ends[1]) : from;
            if (to < from) {
                throw new IllegalArgumentException("magnet link so: range '" + item + "' ends before it starts");
            }
            if ((long) into.size() + (to - from) + 1 > MAX_SELECTED_FILES) {
                throw new IllegalArgumentException("magnet link so: more than " + MAX_SELECTED_FILES + " files");
            }
            for (int i = from; i <= to; i++) {
                into.add(i);
            }
        }
    }

    private static int parseIndex(String text) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("magnet link so: '" + text + "' is not a file index");
        }
        return Integer.parseInt(text);
    }

    /** The link text, with every value percent-encoded as UTF-8. */
    public String toUri() {
        StringBuilder out = new StringBuilder(PREFIX).append("xt=").append(BTIH).append(infoHash.hex());
        displayName.ifPresent(n -> out.append("&dn=").append(encode(n)));
        trackers.forEach(t -> out.append("&tr=").append(encode(t)));
        peers.forEach(p -> out.append("&x.pe=").append(encode(p.toString())));
        if (!selectOnly.isEmpty()) {
            out.append("&so=").append(selectOnly.stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return toUri();
    }

    private static InfoHash parseHash(String text) {
        try {
            return InfoHash.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("magnet link xt: " + e.getMessage(), e);
        }
    }

    private static HostAndPort parsePeer(String text) {
        try {
            HostAndPort peer = HostAndPort.fromString(text);
            if (!peer.hasPort() || peer.getPort() == 0) {
                throw new IllegalArgumentException("missing port");
            }
            return peer;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("magnet link x.pe is not host:port: " + text, e);
        }
    }

    private static String decode(String key, String value) {
        try {
            return URLDecoder.decode(value, UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("magnet link " + key + " has a bad %-escape: " + value, e);
        }
    }

    // '+' means a space to URL decoders but not to every magnet reader: write %20 instead.
    private static String encode(String value) {
        return URLEncoder.encode(value, UTF_8).replace("+", "%20");
    }
}
