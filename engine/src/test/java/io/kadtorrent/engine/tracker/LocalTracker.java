package io.kadtorrent.engine.tracker;

import io.kadtorrent.engine.wire.CompactPeers;

import com.sun.net.httpserver.HttpServer;
import io.kadtorrent.torrent.bencode.BencodeCodec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small tracker for tests, on 127.0.0.1 only: HTTP (compact answers) and UDP (BEP 15) at once, remembering
 * who announced what and handing each announcer the others.
 */
final class LocalTracker implements AutoCloseable {

    /** One announce as the tracker saw it. */
    record Seen(String infoHashHex, int port, String event, long left) {
    }

    final List<Seen> announces = new CopyOnWriteArrayList<>();
    private final Map<String, Map<InetSocketAddress, Boolean>> swarms = new ConcurrentHashMap<>();
    private final HttpServer http;
    private final DatagramSocket udp;
    private final Thread udpThread;

    LocalTracker() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.createContext("/announce", ex -> {
            Map<String, byte[]> q = query(ex.getRequestURI().getRawQuery());
            String hash = HexFormat.of().formatHex(q.get("info_hash"));
            int port = Integer.parseInt(new String(q.get("port"), StandardCharsets.US_ASCII));
            String event = q.containsKey("event") ? new String(q.get("event"), StandardCharsets.US_ASCII) : "";
            long left = Long.parseLong(new String(q.get("left"), StandardCharsets.US_ASCII));
            byte[] peers = record(hash, new InetSocketAddress(ex.getRemoteAddress().getAddress(), port), event, left);
            int[] counts = counts(hash);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("complete", (long) counts[0]);
            answer.put("incomplete", (long) counts[1]);
            answer.put("interval", 1800L);
            answer.put("peers", peers);
            byte[] body = BencodeCodec.encode(answer);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.createContext("/scrape", ex -> {
            Map<String, byte[]> q = query(ex.getRequestURI().getRawQuery());
            byte[] hash = q.get("info_hash");
            int[] counts = counts(HexFormat.of().formatHex(hash));
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("complete", (long) counts[0]);
            file.put("downloaded", 0L);
            file.put("incomplete", (long) counts[1]);
            byte[] body = BencodeCodec.encode(Map.of("files",
                    Map.of(new String(hash, StandardCharsets.ISO_8859_1), file)));
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.start();
        udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        udpThread = new Thread(this::serveUdp, "local-udp-tracker");
        udpThread.setDaemon(true);
        udpThread.start();
    }

    String httpUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/announce";
    }

    String udpUrl() {
        return "udp://127.0.0.1:" + udp.getLocalPort();
    }

    private byte[] record(String hash, InetSocketAddress who, String event, long left) {
        announces.add(new Seen(hash, who.getPort(), event, left));
        Map<InetSocketAddress, Boolean> swarm = swarms.computeIfAbsent(hash, h -> new ConcurrentHashMap<>());
        List<InetSocketAddress> others = new ArrayList<>(swarm.keySet());
        others.remove(who);
        if (event.equals("stopped")) {
            swarm.remove(who);
        } else {
            swarm.put(who, left == 0); // true: a seeder
        }
        return CompactPeers.encode(others, 4);
    }

    /** {seeders, leechers} of a swarm. */
    private int[] counts(String hash) {
        int seeders = 0;
        int leechers = 0;
        for (boolean seed : swarms.getOrDefault(hash, Map.of()).values()) {
            seeders += seed ? 1 : 0;
            leechers += seed ? 0 : 1;
        }
        return new int[] {seeders, leechers};
    }

    private void serveUdp() {
        byte[] buf = new byte[2048];
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                ByteBuffer in = ByteBuffer.wrap(p.getData(), 0, p.getLength());
                ByteBuffer out;
                if (p.getLength() == 16 && in.getLong(0) == UdpTrackerCodec.PROTOCOL_ID) {
                    out = ByteBuffer.allocate(16).putInt(0).putInt(in.getInt(12)).putLong(42L).flip();
                } else if (p.getLength() >= 98 && in.getLong(0) == 42L && in.getInt(8) == 1) {
                    byte[] ih = new byte[20];
                    in.position(16);
                    in.get(ih);
                    long left = in.getLong(64);
                    int event = in.getInt(80);
                    int port = in.getShort(96) & 0xFFFF;
                    String name = switch (event) { case 1 -> "completed"; case 2 -> "started"; case 3 -> "stopped"; default -> ""; };
                    String hash = HexFormat.of().formatHex(ih);
                    byte[] peers = record(hash, new InetSocketAddress(p.getAddress(), port), name, left);
                    int[] counts = counts(hash);
                    out = ByteBuffer.allocate(20 + peers.length).putInt(1).putInt(in.getInt(12)).putInt(1800)
                            .putInt(counts[1]).putInt(counts[0]).put(peers).flip();
                } else if (p.getLength() >= 36 && in.getLong(0) == 42L && in.getInt(8) == 2) {
                    int n = (p.getLength() - 16) / 20;
                    out = ByteBuffer.allocate(8 + 12 * n).putInt(2).putInt(in.getInt(12));
                    for (int i = 0; i < n; i++) {
                        byte[] ih = new byte[20];
                        in.position(16 + 20 * i);
                        in.get(ih);
                        int[] c = counts(HexFormat.of().formatHex(ih));
                        out.putInt(c[0]).putInt(0).putInt(c[1]);
                    }
                    out.flip();
                } else {
                    byte[] msg = "bad request".getBytes(StandardCharsets.US_ASCII);
                    out = ByteBuffer.allocate(8 + msg.length).putInt(3).putInt(p.getLength() >= 16 ? in.getInt(12) : 0)
                            .put(msg).flip();
                }
                udp.send(new DatagramPacket(out.array(), out.limit(), p.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // one bad exchange; keep serving
            }
        }
    }

    /** Query parameters as raw bytes (info_hash and peer_id are binary). */
    static Map<String, byte[]> query(String raw) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), percentDecode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static byte[] percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    @Override
    public void close() throws InterruptedException {
        http.stop(0);
        udp.close();
        udpThread.join(5_000);
    }
}
