package io.kadtorrent.engine.tracker;

import io.kadtorrent.engine.wire.CompactPeers;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The UDP tracker protocol (BEP 15) without I/O: a connect exchange yields a connection id valid for a
 * minute, then announces carry it. Every datagram from the tracker is checked for its action and
 * transaction id; an error datagram's message is kept short.
 */
public final class UdpTrackerCodec {

    static final long PROTOCOL_ID = 0x41727101980L;
    static final int CONNECT = 0;
    static final int ANNOUNCE = 1;
    static final int SCRAPE = 2;
    /** BEP 15: about 74 torrents fit in one scrape datagram. */
    public static final int MAX_SCRAPE_TORRENTS = 74;
    static final int ERROR = 3;
    /** Largest datagram we read: a 20-byte header and up to 1,000-odd IPv6 peers. */
    public static final int MAX_DATAGRAM = 20 + 18 * 1000;

    private UdpTrackerCodec() {
    }

    static ByteBuffer connect(int transactionId) {
        return ByteBuffer.allocate(16).putLong(PROTOCOL_ID).putInt(CONNECT).putInt(transactionId).flip();
    }

    /** The connection id of a connect answer to {@code transactionId}. */
    static long connectionId(ByteBuffer answer, int transactionId) throws TrackerException {
        check(answer, CONNECT, transactionId, 16);
        return answer.getLong(8);
    }

    static ByteBuffer announce(long connectionId, int transactionId, AnnounceRequest r) {
        return ByteBuffer.allocate(98).putLong(connectionId).putInt(ANNOUNCE).putInt(transactionId)
                .put(r.infoHash().bytes()).put(r.peerId())
                .putLong(r.downloaded()).putLong(r.left()).putLong(r.uploaded())
                .putInt(r.event().udpCode).putInt(0).putInt(r.key()).putInt(r.numWant())
                .putShort((short) r.port()).flip();
    }

    static ByteBuffer scrape(long connectionId, int transactionId, List<InfoHash> infoHashes) {
        ByteBuffer out = ByteBuffer.allocate(16 + 20 * infoHashes.size()).putLong(connectionId).putInt(SCRAPE)
                .putInt(transactionId);
        infoHashes.forEach(h -> out.put(h.bytes()));
        return out.flip();
    }

    /** A scrape answer: seeders, completed and leechers for each torrent asked for, in the order asked. */
    static Map<InfoHash, ScrapeResult> scrapeAnswer(ByteBuffer answer, int transactionId, List<InfoHash> asked)
            throws TrackerException {
        check(answer, SCRAPE, transactionId, 8 + 12 * asked.size());
        Map<InfoHash, ScrapeResult> out = new LinkedHashMap<>();
        for (int i = 0; i < asked.size(); i++) {
            int at = 8 + 12 * i;
            out.put(asked.get(i), new ScrapeResult(Math.max(-1, answer.getInt(at)), Math.max(-1, answer.getInt(at + 4)),
                    Math.max(-1, answer.getInt(at + 8))));
        }
        return out;
    }

    /** An announce answer; {@code addressBytes} is 4 over IPv4 and 16 over IPv6 (the tracker's family). */
    static AnnounceResponse announceAnswer(ByteBuffer answer, int transactionId, int addressBytes)
            throws TrackerException {
        check(answer, ANNOUNCE, transactionId, 20);
        int interval = answer.getInt(8);
        int leechers = answer.getInt(12);
        int seeders = answer.getInt(16);
        byte[] all = new byte[answer.remaining()];
        answer.duplicate().get(all);
        int tail = all.length - 20;
        int usable = tail - tail % (addressBytes + 2); // a ragged end is ignored, the rest is used
        return new AnnounceResponse(Math.max(0, Math.min(interval, 7 * 24 * 3600)), 0,
                CompactPeers.decode(all, 20, usable, addressBytes, HttpTrackerCodec.MAX_PEERS),
                Math.max(-1, seeders), Math.max(-1, leechers), Optional.empty());
    }

    private static void check(ByteBuffer answer, int action, int transactionId, int minBytes) throws TrackerException {
        if (answer.remaining() < 8) {
            throw new TrackerException("UDP tracker answer of " + answer.remaining() + " bytes is too short");
        }
        int got = answer.getInt(0);
        if (answer.getInt(4) != transactionId) {
            throw new TrackerException("UDP tracker answer for another transaction");
        }
        if (got == ERROR) {
            byte[] msg = new byte[Math.min(answer.remaining() - 8, 200)];
            answer.duplicate().position(8).get(msg);
            throw new TrackerException("tracker refused: "
                    + new String(msg, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", " "));
        }
        if (got != action || answer.remaining() < minBytes) {
            throw new TrackerException("UDP tracker answer with action " + got + " and " + answer.remaining()
                    + " bytes, expected action " + action);
        }
    }
}
