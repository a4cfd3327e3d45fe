package io.kadtorrent.engine.tracker;

import io.kadtorrent.engine.wire.CompactPeers;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Announces over the plain-socket HTTP client to loopback servers that frame, redirect, stall and err. */
class TrackerHttpTest {

    private static final InfoHash HASH = InfoHash.of(new byte[20]);
    private static final byte[] PEER_ID = "-KT0000-testtesttest".getBytes(StandardCharsets.US_ASCII);
    private static final List<InetSocketAddress> PEERS = List.of(new InetSocketAddress("127.0.0.1", 6881),
            new InetSocketAddress("127.0.0.2", 51413));
    /** Short, so a stalling server fails the test in well under a second rather than 15 s. */
    private static final Duration DEADLINE = Duration.ofMillis(400);
    /** Far longer than any deadline here: a test that reaches it has hung. */
    private static final Duration HUNG = Duration.ofSeconds(20);

    /** For servers that answer: a loaded machine may take longer than {@link #DEADLINE} over a redirect chain. */
    private final TrackerClient client = new TrackerClient(Duration.ofSeconds(10));
    /** For servers that stall, so the test ends soon after {@link #DEADLINE}. */
    private final TrackerClient impatient = new TrackerClient(DEADLINE);

    private static String announceBody() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("complete", 2L);
        a.put("incomplete", 1L);
        a.put("interval", 900L);
        a.put("peers", CompactPeers.encode(PEERS, 4));
        return new String(BencodeCodec.encode(a), StandardCharsets.ISO_8859_1);
    }

    private AnnounceResponse announce(String url) throws Exception {
        return announce(client, url);
    }

    private static AnnounceResponse announce(TrackerClient by, String url) throws Exception {
        return by.announce(URI.create(url),
                new AnnounceRequest(HASH, PEER_ID, 6881, 0, 0, 0, AnnounceRequest.Event.STARTED, 1, 50));
    }

    private TrackerException refused(String url) {
        return refused(client, url);
    }

    private static TrackerException refused(TrackerClient by, String url) {
        return assertTimeoutPreemptively(HUNG, () -> assertThrows(TrackerException.class, () -> announce(by, url)));
    }

    /** The body in {@code size}-byte chunks, with a chunk extension and a trailer. */
    private static String chunked(String body, int size) {
        StringBuilder s = new StringBuilder();
        for (int at = 0; at < body.length(); at += size) {
            String part = body.substring(at, Math.min(body.length(), at + size));
            s.append(Integer.toHexString(part.length())).append(";n=1\r\n").append(part).append("\r\n");
        }
        return s.append("0\r\nX-Trailer: 1\r\n\r\n").toString();
    }

    @Test
    void anAnnounceReadsItsPeersWhetherTheAnswerIsFramedByLengthChunksOrTheEnd() throws Exception {
        String body = announceBody();
        try (CannedHttpServer server = new CannedHttpServer((target, socket, out) -> {
            String answer = switch (target.substring(0, target.indexOf('?'))) {
                case "/length/announce" -> "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
                case "/chunked/announce" -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(body, 7);
                default -> "HTTP/1.0 200 OK\nContent-Type: text/plain\n\n" + body;
            };
            out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
        })) {
            for (String path : List.of("/length/announce", "/chunked/announce", "/eof/announce")) {
                AnnounceResponse r = announce(server.url(path));
                assertEquals(PEERS, r.peers(), path);
                assertEquals(2, r.seeders());
                assertEquals(900, r.intervalSeconds());
            }
            CannedHttpServer.Request first = server.requests.get(0);
            assertTrue(first.line().startsWith("GET /length/announce?info_hash=%00%00"), first.line());
            assertTrue(first.line().endsWith(" HTTP/1.1"), first.line());
            assertTrue(first.headers().contains("Host: 127.0.0.1:" + server.port()), first.headers().toString());
            assertTrue(first.headers().contains("User-Agent: " + TrackerHttp.USER_AGENT));
            assertTrue(first.headers().contains("Connection: close"));
        }
    }

    @Test
    void anIpv6TrackerIsAskedWithItsAddressInBracketsInTheHostHeader() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        boolean available;
        try (ServerSocket probe = new ServerSocket(0, 1, v6)) {
            available = probe.getInetAddress() instanceof Inet6Address;
        } catch (IOException e) {
            available = false;
        }
        assumeTrue(available, "no ::1 on this machine");
        String body = announceBody();
        try (CannedHttpServer server = new CannedHttpServer(v6, CannedHttpServer.always(
                "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body))) {
            assertEquals(PEERS, announce("http://[::1]:" + server.port() + "/announce").peers());
            assertTrue(server.requests.get(0).headers().contains("Host: [::1]:" + server.port()),
                    server.requests.get(0).headers().toString());
        }
    }

    @Test
    void redirectsToAnotherPathOrServerAreFollowed() throws Exception {
        String body = announceBody();
        try (CannedHttpServer target = new CannedHttpServer(CannedHttpServer.always(
                "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body));
             CannedHttpServer mover = new CannedHttpServer((path, socket, out) -> {
                 String answer = path.startsWith("/old/announce")
                         ? "HTTP/1.1 301 Moved Permanently\r\nLocation: /new/announce?x=1\r\nContent-Length: 0\r\n\r\n"
                         : "HTTP/1.1 307 Temporary Redirect\r\nLocation: " + target.url("/announce?k=v") + "\r\n\r\n";
                 out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
             })) {
            assertEquals(PEERS, announce(mover.url("/old/announce")).peers());
            assertEquals(List.of("/old/announce", "/new/announce"),
                    mover.requests.stream().map(r -> r.target().substring(0, r.target().indexOf('?'))).toList());
            assertEquals("/announce?k=v", target.requests.get(0).target());
        }
    }

    @Test
    void aRedirectLoopOrALongChainStopsWithAClearError() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer((path, socket, out) -> {
            String bare = path.split("\\?")[0]; // the announce's query follows the first URL only
            String next = switch (bare) {
                case "/a" -> "/b";
                case "/b" -> "/a";
                default -> "/c" + (bare.length() == 2 ? 1 : Integer.parseInt(bare.substring(2)) + 1); // /c1, /c2 ...
            };
            out.write(("HTTP/1.1 302 Found\r\nLocation: " + next + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        })) {
            assertTrue(refused(server.url("/a")).getMessage().contains("redirect loop"));
            int before = server.requests.size();
            TrackerException chain = refused(server.url("/c"));
            assertTrue(chain.getMessage().contains("more than " + TrackerHttp.MAX_REDIRECTS + " redirects"),
                    chain.getMessage());
            assertEquals(TrackerHttp.MAX_REDIRECTS + 1, server.requests.size() - before);
        }
    }

    @Test
    void aRedirectToAnotherSchemeOrWithoutLocationIsRefused() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer((path, socket, out) -> out.write((path.startsWith("/ftp")
                ? "HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1/announce\r\n\r\n"
                : "HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)))) {
            assertTrue(refused(server.url("/ftp")).getMessage().contains("ftp"));
            assertTrue(refused(server.url("/none")).getMessage().contains("without a Location"));
        }
    }

    @Test
    void aRedirectToHttpsIsHandedToTheJdkClient() throws Exception {
        String body = announceBody();
        try (CannedHttpServer plainOnly = new CannedHttpServer(CannedHttpServer.always(
                "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body));
             CannedHttpServer server = new CannedHttpServer(CannedHttpServer.always("HTTP/1.1 308 Permanent Redirect\r\n"
                     + "Location: https://127.0.0.1:" + plainOnly.port() + "/announce\r\n\r\n"))) {
            // a plain GET there would get peers; the JDK client's TLS handshake gets no TLS answer and times out
            // (3 s: time enough for the plain hop on a loaded machine, whose lateness would be a TrackerException)
            TrackerClient patientEnough = new TrackerClient(Duration.ofSeconds(3));
            IOException e = assertTimeoutPreemptively(HUNG, () -> assertThrows(IOException.class,
                    () -> announce(patientEnough, server.url("/announce"))));
            assertFalse(e instanceof TrackerException, e.toString());
            assertTrue(plainOnly.requests.stream().noneMatch(r -> r.line().startsWith("GET ")));
        }
    }

    @Test
    void anAnswerLargerThanTheLimitIsRefusedHoweverItIsFramed() throws Exception {
        int tooLarge = HttpTrackerCodec.MAX_RESPONSE_BYTES + 1;
        try (CannedHttpServer server = new CannedHttpServer((path, socket, out) -> {
            out.write(("HTTP/1.1 200 OK\r\n" + (path.startsWith("/length") ? "Content-Length: " + tooLarge + "\r\n" : "")
                    + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[tooLarge]);
        })) {
            for (String path : List.of("/length/announce", "/eof/announce")) {
                TrackerException e = refused(server.url(path));
                assertTrue(e.getMessage().contains("larger than " + HttpTrackerCodec.MAX_RESPONSE_BYTES), e.getMessage());
            }
        }
    }

    @Test
    void aServerThatNeverAnswersIsGivenUpAtTheDeadline() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer((path, socket, out) -> {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) { // holds the connection until the client gives up
                continue;
            }
        })) {
            assertTrue(refused(impatient, server.url("/announce")).getMessage()
                    .contains("within " + DEADLINE.toMillis() + " ms"));
        }
    }

    @Test
    void aServerThatDripsItsAnswerCannotHoldTheThreadPastTheDeadline() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer((path, socket, out) -> {
            out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 5_000; i++) { // one byte per 10 ms: each read waits less than any read timeout
                out.write('a');
                out.flush();
                Thread.sleep(10); // the pace of a slow server, not a wait for something to happen
            }
        })) {
            long start = System.nanoTime();
            assertTrue(refused(impatient, server.url("/announce")).getMessage().contains("within"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(DEADLINE.multipliedBy(10)) < 0, "gave up only after " + took);
        }
    }

    @Test
    void aMalformedStatusLineOrANon200IsATrackerError() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer((path, socket, out) -> out.write((path.startsWith("/bad")
                ? "ICY 200 OK\r\n\r\nbody"
                : "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy").getBytes(StandardCharsets.ISO_8859_1)))) {
            assertTrue(refused(server.url("/bad/announce")).getMessage().contains("not an HTTP answer"));
            assertTrue(refused(server.url("/busy/announce")).getMessage().contains("HTTP 503"));
        }
    }

    @Test
    void aScrapeGoesOverThePlainClientToo() throws Exception {
        String file = "d8:completei5e10:downloadedi0e10:incompletei2ee";
        String body = "d5:filesd20:" + new String(new byte[20], StandardCharsets.ISO_8859_1) + file + "ee";
        try (CannedHttpServer server = new CannedHttpServer(CannedHttpServer.always(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(body, 5)))) {
            assertEquals(Map.of(HASH, new ScrapeResult(5, 0, 2)),
                    client.scrape(URI.create(server.url("/announce")), List.of(HASH)));
            assertTrue(server.requests.get(0).target().startsWith("/scrape?info_hash="));
        }
    }

    @Test
    void aClosedPortIsAnIoErrorNotAHang() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/announce";
        assertTimeoutPreemptively(HUNG, () -> assertThrows(IOException.class, () -> announce(url)));
    }
}
