package io.kadtorrent.metadata.server;

import com.google.common.net.HostAndPort;
import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.metadata.client.MetadataClient;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metadata server with a real embedded DHT node: every served torrent's {@code nodes} are
 * live DHT nodes (they answer a BEP 5 ping on 127.0.0.1), and its info_hash is the published one.
 */
class MetadataServerDhtIT {

    @TempDir
    Path dir;

    @Test
    void servedTorrentNodesAreLiveDhtNodes() throws Exception {
        DhtConfig loopback = DhtConfig.defaults();
        try (DhtNode seed = DhtNode.start(loopback);
             DhtNode embedded = DhtNode.start(loopback)) {
            embedded.bootstrap(List.of(seed.localAddress())).get(30, TimeUnit.SECONDS);
            try (RunningServer s = RunningServer.start(dir, RunningServer.config()
                    .withPublishPolicy(PublishPolicy.openToAll()), new DhtBootstrapNodes(embedded, 8));
                 MetadataClient client = s.client()) {
                byte[] t = TestTorrents.singleFile("live.iso", 10_000, 1);
                client.publish(t, SigningKey.generate(new SecureRandom()));
                Metainfo served = client.fetch("live.iso", Optional.empty()).metainfo();

                assertEquals(TestTorrents.parse(t).infoHash(), served.infoHash());
                List<HostAndPort> nodes = served.nodes();
                assertEquals(HostAndPort.fromParts("127.0.0.1", embedded.localAddress().getPort()), nodes.get(0));
                assertTrue(nodes.contains(HostAndPort.fromParts("127.0.0.1", seed.localAddress().getPort())), nodes.toString());
                for (HostAndPort n : nodes) {
                    assertTrue(answersPing(n), n + " does not answer a DHT ping");
                }
            }
        }
    }

    /** Sends a BEP 5 ping and checks for a response with the same transaction id and a 20-byte node id. */
    private static boolean answersPing(HostAndPort node) throws Exception {
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        byte[] ping = BencodeCodec.encode(Map.of("t", "pg", "y", "q", "q", "ping", "a", Map.of("id", id)));
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(2000);
            InetSocketAddress to = new InetSocketAddress(node.getHost(), node.getPort());
            for (int attempt = 0; attempt < 3; attempt++) { // UDP: allow a lost datagram
                socket.send(new DatagramPacket(ping, ping.length, to));
                DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
                try {
                    socket.receive(in);
                } catch (java.net.SocketTimeoutException e) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> reply = (Map<String, Object>) BencodeCodec.decode(
                        Arrays.copyOf(in.getData(), in.getLength()), BencodeLimits.DATAGRAM);
                assertArrayEquals("pg".getBytes(ISO_8859_1), (byte[]) reply.get("t"));
                assertArrayEquals("r".getBytes(ISO_8859_1), (byte[]) reply.get("y"));
                @SuppressWarnings("unchecked")
                Map<String, Object> r = (Map<String, Object>) reply.get("r");
                return ((byte[]) r.get("id")).length == 20;
            }
            return false;
        }
    }
}
