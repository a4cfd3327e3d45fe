package io.kadtorrent.client.cli;

import com.google.common.net.HostAndPort;
import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.metadata.client.TorrentSource;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kadtorrent metadata-server} as the composition root: catalog, server and a real DHT node. */
class MetadataServerCommandIT {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CountDownLatch ready = new CountDownLatch(1);

    private CommandLine cli() {
        CommandLine cli = Main.commandLine();
        // Signals once the server printed its catalog line (after both "listening:" lines).
        cli.setOut(new PrintWriter(new Writer() {
            @Override
            public void write(char[] buf, int off, int len) {
                out.write(buf, off, len);
                if (out.toString().contains("catalog: ")) {
                    ready.countDown();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler(CliErrors::handle);
        return cli;
    }

    private static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length());
    }

    @Test
    void servesPublishedTorrentsWithItsOwnDhtNodeFirstAndStopsOnInterrupt() throws Exception {
        assertEquals(0, cli().execute("keygen", "-o", dir.resolve("k").toString()));
        try (DhtNode seed = DhtNode.start(DhtConfig.defaults())) {
            String seedAddr = "127.0.0.1:" + seed.localAddress().getPort();
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            Thread server = new Thread(() -> exit.complete(cli().execute("metadata-server",
                    "--dir", dir.resolve("catalog").toString(), "--port", "0", "--dht-port", "0",
                    "--bind", "127.0.0.1", "--bootstrap", seedAddr, "--allow-key", dir.resolve("k.pub").toString())));
            server.start();
            try {
                assertTrue(ready.await(30, TimeUnit.SECONDS), out + "\n" + err);
                String tcp = line(out.toString(), "listening: tcp ");
                String udp = line(out.toString(), "listening: udp ");

                Path file = dir.resolve("a.torrent");
                Files.write(file, BencodeCodec.encode(Map.of("info", Map.of("name", "a.bin", "piece length", 16384,
                        "pieces", new byte[20], "length", 100))));
                assertEquals(0, cli().execute("publish", file.toString(), "--server", tcp, "--key", dir.resolve("k").toString()),
                        err.toString());

                Metainfo served = TorrentSource.fetch("a.bin", HostAndPort.fromString(tcp), Optional.of(dir.resolve("k.pub")));
                List<HostAndPort> nodes = served.nodes();
                assertEquals(HostAndPort.fromString(udp), nodes.get(0));
            } finally {
                server.interrupt();
                server.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertEquals(0, exit.get(1, TimeUnit.SECONDS)); // interrupted: a clean stop
        }
    }
}
