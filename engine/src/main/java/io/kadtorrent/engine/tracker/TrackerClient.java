package io.kadtorrent.engine.tracker;

import io.kadtorrent.torrent.metainfo.InfoHash;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Talks to trackers: HTTP(S) through {@link TrackerHttp} (plain {@code http} over a socket, {@code https} through
 * the JDK's client), UDP (BEP 15) over a datagram channel, each announce bounded in time and size. Blocking:
 * callers run it off their event loops. One per session; it keeps UDP connection ids for their minute.
 */
public final class TrackerClient {

    /** The whole of one HTTP(S) announce or scrape: connect, redirects, answer. */
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(15);
    /** BEP 15 says 15 s doubling up to 8 times; a swarm has other sources, so we try twice, shorter. */
    static final int UDP_ATTEMPTS = 2;
    static final Duration UDP_FIRST_TIMEOUT = Duration.ofSeconds(4);
    private static final long CONNECTION_ID_MILLIS = 55_000;

    private final TrackerHttp http;
    private final Map<InetSocketAddress, long[]> connectionIds = new ConcurrentHashMap<>(); // id, obtained at

    public TrackerClient() {
        this(HTTP_TIMEOUT);
    }

    /** With {@code httpTimeout} for each HTTP(S) announce or scrape, redirects included. */
    TrackerClient(Duration httpTimeout) {
        this.http = new TrackerHttp(httpTimeout);
    }

    /** One announce to {@code tracker} ({@code http}, {@code https} or {@code udp}). */
    public AnnounceResponse announce(URI tracker, AnnounceRequest request) throws IOException, InterruptedException {
        String scheme = tracker.getScheme() == null ? "" : tracker.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "http", "https" -> announceHttp(tracker, request);
            case "udp" -> announceUdp(tracker, request);
            default -> throw new TrackerException("unsupported tracker " + tracker);
        };
    }

    /**
     * Scrapes {@code tracker} for the counts of these torrents' swarms (BEP 48 over HTTP, BEP 15 over UDP).
     *
     * @throws TrackerException when the tracker has no scrape, refuses, or answers garbage
     */
    public Map<InfoHash, ScrapeResult> scrape(URI tracker, List<InfoHash> infoHashes)
            throws IOException, InterruptedException {
        String scheme = tracker.getScheme() == null ? "" : tracker.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "http", "https" -> {
                URI uri = HttpTrackerCodec.scrapeUri(tracker, infoHashes).orElseThrow(() ->
                        new TrackerException(tracker + " has no scrape URL (its path does not end in /announce)"));
                return HttpTrackerCodec.parseScrape(http.get(uri));
            }
            case "udp" -> {
                if (infoHashes.size() > UdpTrackerCodec.MAX_SCRAPE_TORRENTS) {
                    throw new IllegalArgumentException("at most " + UdpTrackerCodec.MAX_SCRAPE_TORRENTS + " torrents per UDP scrape");
                }
                return overUdp(tracker, (ch, id, tid, addressBytes, timeout) -> UdpTrackerCodec.scrapeAnswer(
                        exchange(ch, UdpTrackerCodec.scrape(id, tid, infoHashes), timeout), tid, infoHashes));
            }
            default -> throw new TrackerException("unsupported tracker " + tracker);
        }
    }

    private AnnounceResponse announceHttp(URI tracker, AnnounceRequest request) throws IOException, InterruptedException {
        return HttpTrackerCodec.parse(http.get(HttpTrackerCodec.announceUri(tracker, request)));
    }

    private AnnounceResponse announceUdp(URI tracker, AnnounceRequest request) throws IOException {
        return overUdp(tracker, (ch, id, tid, addressBytes, timeout) -> UdpTrackerCodec.announceAnswer(
                exchange(ch, UdpTrackerCodec.announce(id, tid, request), timeout), tid, addressBytes));
    }

    /** One BEP 15 exchange after the connect, with its connection id, a fresh transaction id and the timeout. */
    @FunctionalInterface
    private interface UdpExchange<T> {
        T run(DatagramChannel ch, long connectionId, int transactionId, int addressBytes, Duration timeout)
                throws IOException;
    }

    /** Connects (or reuses a connection id) and runs {@code exchange}, twice at most, the second wait doubled. */
    private <T> T overUdp(URI tracker, UdpExchange<T> exchange) throws IOException {
        if (tracker.getHost() == null || tracker.getPort() <= 0) {
            throw new TrackerException("UDP tracker " + tracker + " needs a host and a port");
        }
        InetSocketAddress address = new InetSocketAddress(tracker.getHost(), tracker.getPort());
        if (address.isUnresolved()) {
            throw new TrackerException("cannot resolve " + tracker.getHost());
        }
        int addressBytes = address.getAddress().getAddress().length;
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(address);
            ch.socket().setSoTimeout((int) UDP_FIRST_TIMEOUT.toMillis());
            Duration timeout = UDP_FIRST_TIMEOUT;
            TrackerException last = null;
            for (int attempt = 0; attempt < UDP_ATTEMPTS; attempt++, timeout = timeout.multipliedBy(2)) {
                try {
                    long id = connectionId(ch, address, timeout);
                    return exchange.run(ch, id, ThreadLocalRandom.current().nextInt(), addressBytes, timeout);
                } catch (SocketTimeoutException e) {
                    connectionIds.remove(address);
                    last = new TrackerException("no answer from " + tracker + " in " + timeout.toSeconds() + " s");
                }
            }
            throw last;
        }
    }

    private long connectionId(DatagramChannel ch, InetSocketAddress address, Duration timeout) throws IOException {
        long[] known = connectionIds.get(address);
        if (known != null && System.currentTimeMillis() - known[1] < CONNECTION_ID_MILLIS) {
            return known[0];
        }
        int tid = ThreadLocalRandom.current().nextInt();
        long id = UdpTrackerCodec.connectionId(exchange(ch, UdpTrackerCodec.connect(tid), timeout), tid);
        connectionIds.put(address, new long[]{id, System.currentTimeMillis()});
        return id;
    }

    /** Sends {@code out} and waits up to {@code timeout} for one datagram back. */
    private static ByteBuffer exchange(DatagramChannel ch, ByteBuffer out, Duration timeout) throws IOException {
        ch.socket().setSoTimeout((int) timeout.toMillis());
        ch.write(out);
        // a connected channel's socket adaptor honours SO_TIMEOUT on receive
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[UdpTrackerCodec.MAX_DATAGRAM],
                UdpTrackerCodec.MAX_DATAGRAM);
        ch.socket().receive(p);
        return ByteBuffer.wrap(p.getData(), 0, p.getLength()).slice();
    }
}
