package io.kadtorrent.engine.tracker;

import com.google.common.net.InetAddresses;
import io.kadtorrent.engine.wire.CompactPeers;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeDict;
import io.kadtorrent.torrent.bencode.BencodeFieldException;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.bencode.InvalidBencodeException;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP tracker announces (BEP 3, compact peers BEP 23, {@code peers6} BEP 7) without I/O: the URL to ask,
 * and what an answer means. Every answer is hostile input: its size, nesting and peer count are capped.
 */
public final class HttpTrackerCodec {

    /** Largest answer read (a full compact answer of {@link #MAX_PEERS} IPv6 peers is 36 KB). */
    public static final int MAX_RESPONSE_BYTES = 1 << 20;
    public static final int MAX_PEERS = 2000;
    static final BencodeLimits LIMITS = new BencodeLimits(MAX_RESPONSE_BYTES, 8, 20_000);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private HttpTrackerCodec() {
    }

    /** The announce URL: the tracker's own, with our parameters appended. */
    public static URI announceUri(URI tracker, AnnounceRequest r) {
        StringBuilder q = new StringBuilder(tracker.toString());
        q.append(tracker.getRawQuery() == null ? '?' : '&');
        q.append("info_hash=").append(percent(r.infoHash().bytes()));
        q.append("&peer_id=").append(percent(r.peerId()));
        q.append("&port=").append(r.port());
        q.append("&uploaded=").append(r.uploaded());
        q.append("&downloaded=").append(r.downloaded());
        q.append("&left=").append(r.left());
        q.append("&compact=1&no_peer_id=1");
        q.append("&numwant=").append(r.numWant());
        q.append("&key=").append(Integer.toHexString(r.key()));
        if (r.event().httpName != null) {
            q.append("&event=").append(r.event().httpName);
        }
        return URI.create(q.toString());
    }

    /** RFC 3986 percent-encoding of raw bytes: unreserved characters stay, everything else becomes %XX. */
    static String percent(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
        return out.toString();
    }

    /** More torrents than this in one scrape answer are not read. */
    static final int MAX_SCRAPED = 1000;

    /**
     * The scrape URL of an announce URL (BEP 48: its last path segment {@code announce...} becomes
     * {@code scrape...}) with an {@code info_hash} parameter per torrent; empty when the tracker has none.
     */
    public static Optional<URI> scrapeUri(URI announce, List<InfoHash> infoHashes) {
        String path = announce.getRawPath() == null ? "" : announce.getRawPath();
        int slash = path.lastIndexOf('/');
        if (slash < 0 || !path.startsWith("announce", slash + 1)) {
            return Optional.empty();
        }
        StringBuilder s = new StringBuilder(announce.toString().replace(announce.getRawPath(),
                path.substring(0, slash + 1) + "scrape" + path.substring(slash + 1 + "announce".length())));
        char sep = announce.getRawQuery() == null ? '?' : '&';
        for (InfoHash h : infoHashes) {
            s.append(sep).append("info_hash=").append(percent(h.bytes()));
            sep = '&';
        }
        return Optional.of(URI.create(s.toString()));
    }

    /** Reads a scrape answer: the counts per torrent; a {@code failure reason} or anything malformed throws. */
    public static Map<InfoHash, ScrapeResult> parseScrape(byte[] body) throws TrackerException {
        if (body.length > MAX_RESPONSE_BYTES) {
            throw new TrackerException("answer of " + body.length + " bytes is larger than " + MAX_RESPONSE_BYTES);
        }
        try {
            BencodeDict d = BencodeCodec.decodeDictionary(body, LIMITS).dict();
            String failure = d.utf8OrNull("failure reason");
            if (failure != null) {
                throw new TrackerException("tracker refused: " + shorten(failure));
            }
            BencodeDict files = d.dict("files");
            Map<InfoHash, ScrapeResult> out = new LinkedHashMap<>();
            for (String key : files.keys()) {
                byte[] hash = key.getBytes(StandardCharsets.ISO_8859_1);
                if (hash.length != InfoHash.LENGTH || out.size() >= MAX_SCRAPED) {
                    continue;
                }
                BencodeDict f = files.dict(key);
                out.put(InfoHash.of(hash), new ScrapeResult(count(f.integerOrNull("complete")),
                        count(f.integerOrNull("downloaded")), count(f.integerOrNull("incomplete"))));
            }
            return out;
        } catch (InvalidBencodeException e) {
            throw new TrackerException("not a scrape answer: " + e.getMessage(), e);
        } catch (BencodeFieldException e) {
            throw new TrackerException("malformed scrape answer: " + e.getMessage(), e);
        }
    }

    /** Reads an announce answer; a {@code failure reason} or anything malformed throws. */
    public static AnnounceResponse parse(byte[] body) throws TrackerException {
        if (body.length > MAX_RESPONSE_BYTES) {
            throw new TrackerException("answer of " + body.length + " bytes is larger than " + MAX_RESPONSE_BYTES);
        }
        BencodeDict d;
        try {
            d = BencodeCodec.decodeDictionary(body, LIMITS).dict();
        } catch (InvalidBencodeException e) {
            throw new TrackerException("not a tracker answer: " + e.getMessage(), e);
        }
        try {
            String failure = d.utf8OrNull("failure reason");
            if (failure != null) {
                throw new TrackerException("tracker refused: " + shorten(failure));
            }
            Long interval = d.integerOrNull("interval");
            if (interval == null) {
                throw new TrackerException("tracker answer has no interval");
            }
            Long min = d.integerOrNull("min interval");
            List<InetSocketAddress> peers = new ArrayList<>();
            Object raw = d.asMap().get("peers");
            if (raw instanceof byte[] compact) {
                peers.addAll(compact(compact, 4, MAX_PEERS));
            } else if (raw != null) {
                peers.addAll(dictPeers(d.dictList("peers")));
            }
            byte[] six = d.bytesOrNull("peers6");
            if (six != null) {
                peers.addAll(compact(six, 16, MAX_PEERS - peers.size()));
            }
            Long complete = d.integerOrNull("complete");
            Long incomplete = d.integerOrNull("incomplete");
            String warning = d.utf8OrNull("warning message");
            return new AnnounceResponse(clampSeconds(interval), min == null ? 0 : clampSeconds(min), peers,
                    count(complete), count(incomplete), Optional.ofNullable(warning).map(HttpTrackerCodec::shorten));
        } catch (BencodeFieldException e) {
            throw new TrackerException("malformed tracker answer: " + e.getMessage(), e);
        }
    }

    private static List<InetSocketAddress> compact(byte[] b, int addressBytes, int max) throws TrackerException {
        try {
            return CompactPeers.decode(b, 0, b.length, addressBytes, max);
        } catch (IllegalArgumentException e) {
            throw new TrackerException("malformed tracker answer: " + e.getMessage(), e);
        }
    }

    /** The original, non-compact form: a list of {@code {ip, port}} dictionaries. */
    private static List<InetSocketAddress> dictPeers(List<BencodeDict> list) throws BencodeFieldException {
        List<InetSocketAddress> out = new ArrayList<>();
        for (BencodeDict p : list) {
            if (out.size() >= MAX_PEERS) {
                break;
            }
            String ip = p.utf8OrNull("ip");
            Long port = p.integerOrNull("port");
            if (ip == null || port == null || port < 1 || port > 0xFFFF) {
                continue;
            }
            literalAddress(ip).ifPresent(a -> out.add(new InetSocketAddress(a, port.intValue())));
        }
        return out;
    }

    /**
     * The address an IPv4 or IPv6 literal names, or empty for anything else. Parsed, never resolved: a tracker
     * must not make us look names up (each lookup is a DNS query the tracker chose, and a wait).
     */
    static Optional<InetAddress> literalAddress(String ip) {
        try {
            return Optional.of(InetAddresses.forString(ip));
        } catch (IllegalArgumentException notALiteral) {
            return Optional.empty();
        }
    }

    private static int clampSeconds(long s) {
        return (int) Math.max(0, Math.min(s, 7 * 24 * 3600));
    }

    private static int count(Long n) {
        return n == null || n < 0 ? -1 : (int) Math.min(n, Integer.MAX_VALUE);
    }

    private static String shorten(String s) {
        String oneLine = s.replaceAll("[\\p{Cntrl}]", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }
}
