package io.kadtorrent.client.cli;

import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DhtCommandsTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    /** Collects output and opens a latch when the first line arrives. */
    private static final class LineLatch extends Writer {
        final StringBuilder text = new StringBuilder();
        final CountDownLatch firstLine = new CountDownLatch(1);
        final CountDownLatch secondLine = new CountDownLatch(1);

        @Override
        public synchronized void write(char[] buf, int off, int len) {
            text.append(buf, off, len);
            int first = text.indexOf("\n");
            if (first >= 0) {
                firstLine.countDown();
                if (text.indexOf("\n", first + 1) >= 0) {
                    secondLine.countDown();
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        synchronized String text() {
            return text.toString();
        }
    }

    @Test
    void dhtNodeAnswersThenGetPeersPrintsTheAnnouncedPeer() throws Exception {
        LineLatch out = new LineLatch();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        Path state = dir.resolve("dht.state");
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread runner = new Thread(() -> exit.complete(cli.execute("dht-node", "--bind", "127.0.0.1", "--port", "0",
                "--state", state.toString())), "dht-node-cli");
        runner.start();
        try {
            assertTrue(out.firstLine.await(30, TimeUnit.SECONDS));
            Matcher m = Pattern.compile("listening: udp 127\\.0\\.0\\.1:(\\d+)\\n").matcher(out.text());
            assertTrue(m.matches(), out.text());
            InetSocketAddress bootstrap = new InetSocketAddress(LOOPBACK, Integer.parseInt(m.group(1)));

            InfoHash hash = InfoHash.ofInfo("cli test".getBytes());
            try (DhtNode announcer = DhtNode.start(DhtConfig.defaults().withBootstrap(List.of(bootstrap)))) {
                announcer.joined().get(30, TimeUnit.SECONDS);
                assertTrue(announcer.announce(hash, 40_000).get(30, TimeUnit.SECONDS) > 0);

                StringWriter found = new StringWriter();
                CommandLine get = Main.commandLine();
                get.setOut(new PrintWriter(found, true));
                int code = get.execute("dht", "get-peers", hash.hex(), "--bootstrap", "127.0.0.1:" + bootstrap.getPort(),
                        "--bind", "127.0.0.1");
                assertEquals(0, code);
                assertEquals("peer: 127.0.0.1:40000\n", found.toString());
            }

            String other = InfoHash.ofInfo("cli announce".getBytes()).hex();
            StringWriter announced = new StringWriter();
            CommandLine announce = Main.commandLine();
            announce.setOut(new PrintWriter(announced, true));
            assertEquals(0, announce.execute("dht", "announce", other, "--port", "40001",
                    "--bootstrap", "127.0.0.1:" + bootstrap.getPort(), "--bind", "127.0.0.1"));
            assertTrue(announced.toString().matches("announced: [1-9]\\d* nodes\n"), announced.toString());
            StringWriter found = new StringWriter();
            CommandLine get = Main.commandLine();
            get.setOut(new PrintWriter(found, true));
            assertEquals(0, get.execute("dht", "get-peers", other, "--bootstrap", "127.0.0.1:" + bootstrap.getPort(),
                    "--bind", "127.0.0.1"));
            assertEquals("peer: 127.0.0.1:40001\n", found.toString());
        } finally {
            runner.interrupt();
        }
        assertEquals(0, exit.get(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(state), "state saved on stop");
    }

    @Test
    void aDhtNodeBoundToIpv4AndIpv6ListensOnBothAndServesTheIpv6Dht() throws Exception {
        LineLatch out = new LineLatch();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread runner = new Thread(() -> exit.complete(cli.execute("dht-node", "--bind", "127.0.0.1", "--bind", "::1",
                "--port", "0")), "dht-node-cli");
        runner.start();
        try {
            assertTrue(out.secondLine.await(30, TimeUnit.SECONDS));
            Matcher m = Pattern.compile("listening: udp 127\\.0\\.0\\.1:(\\d+)\\nlistening: udp \\[::1]:(\\d+)\\n")
                    .matcher(out.text());
            assertTrue(m.matches(), out.text());
            String bootstrap6 = "[::1]:" + m.group(2);
            String hash = InfoHash.ofInfo("cli ipv6".getBytes()).hex();
            StringWriter announced = new StringWriter();
            CommandLine announce = Main.commandLine();
            announce.setOut(new PrintWriter(announced, true));
            assertEquals(0, announce.execute("dht", "announce", hash, "--port", "40002",
                    "--bootstrap", bootstrap6, "--bind", "::1"));
            assertTrue(announced.toString().matches("announced: [1-9]\\d* nodes\n"), announced.toString());
            StringWriter found = new StringWriter();
            CommandLine get = Main.commandLine();
            get.setOut(new PrintWriter(found, true));
            assertEquals(0, get.execute("dht", "get-peers", hash, "--bootstrap", bootstrap6, "--bind", "::1"));
            assertEquals("peer: [::1]:40002\n", found.toString());
        } finally {
            runner.interrupt();
        }
        assertEquals(0, exit.get(30, TimeUnit.SECONDS));
    }

    @Test
    void getPeersRejectsABadInfoHashAsUsageError() {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, cli.execute("dht", "get-peers", "xyz", "--bootstrap", "127.0.0.1:1", "--bind", "127.0.0.1"));
    }
}
