package io.kadtorrent.client.cli;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.catalog.Catalog;
import io.kadtorrent.metadata.server.BootstrapNodes;
import io.kadtorrent.metadata.server.MetadataServer;
import io.kadtorrent.metadata.server.MetadataServerConfig;
import io.kadtorrent.metadata.server.PublishPolicy;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** keygen, publish and search through the CLI against a metadata server on 127.0.0.1. */
class MetadataCommandsIT {

    @TempDir
    Path dir;

    private MetadataServer server;
    private String serverArg;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler(CliErrors::handle);
        return cli.execute(args);
    }

    private static byte[] torrent(String name, int salt) {
        byte[] pieces = new byte[20];
        pieces[0] = (byte) salt;
        return BencodeCodec.encode(Map.of("info", Map.of("name", name, "piece length", 16384,
                "pieces", pieces, "length", 1000 + salt)));
    }

    @BeforeEach
    void start() throws Exception {
        assertEquals(0, run("keygen", "-o", dir.resolve("me.key").toString()));
        assertEquals(0, run("keygen", "-o", dir.resolve("stranger.key").toString()));
        PublisherKey me = PublisherKey.read(dir.resolve("me.key.pub"));
        server = MetadataServer.start(MetadataServerConfig.loopback().withPublishPolicy(PublishPolicy.allowing(Set.of(me))),
                Catalog.open(dir.resolve("catalog")), BootstrapNodes.fixed(List.of(HostAndPort.fromParts("127.0.0.1", 6881))));
        serverArg = "127.0.0.1:" + server.localAddress().getPort();
        out.getBuffer().setLength(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void keygenWritesBothKeyFilesAndPrintsThePublicKey() throws Exception {
        assertEquals(0, run("keygen", "-o", dir.resolve("k").toString()));
        String pub = PublisherKey.read(dir.resolve("k.pub")).hex();
        assertTrue(out.toString().contains("public key: " + pub), out.toString());
        assertTrue(Files.exists(dir.resolve("k")));
    }

    @Test
    void keygenRefusesToOverwriteAKey() {
        assertEquals(1, run("keygen", "-o", dir.resolve("me.key").toString()));
        assertTrue(err.toString().startsWith("error: "), err.toString());
        assertTrue(err.toString().contains("already exists"), err.toString());
    }

    @Test
    void publishThenSearchFindsIt() throws Exception {
        Path file = dir.resolve("ubuntu.torrent");
        Files.write(file, torrent("Ubuntu-24.04.iso", 1));
        String hash = InfoHash.ofInfo(BencodeCodec.encode(Map.of("name", "Ubuntu-24.04.iso", "piece length", 16384,
                "pieces", new byte[]{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "length", 1001))).hex();

        assertEquals(0, run("publish", file.toString(), "--server", serverArg, "--key", dir.resolve("me.key").toString()), err.toString());
        assertTrue(out.toString().contains("info_hash: " + hash), out.toString());
        assertTrue(out.toString().contains("published: Ubuntu-24.04.iso"), out.toString());

        out.getBuffer().setLength(0);
        assertEquals(0, run("search", "ubuntu", "--server", serverArg));
        String me = PublisherKey.read(dir.resolve("me.key.pub")).fingerprint();
        assertEquals(hash + "  1001 B  by " + me + "  Ubuntu-24.04.iso\n", out.toString());

        out.getBuffer().setLength(0);
        assertEquals(0, run("search", "UBUNTU", "--server", serverArg, "--json"));
        assertEquals("[\n  {\"info_hash\": \"" + hash + "\", \"name\": \"Ubuntu-24.04.iso\", \"length\": 1001, \"files\": 1,"
                + " \"publisher\": \"" + PublisherKey.read(dir.resolve("me.key.pub")).hex() + "\"}\n]\n", out.toString());

        out.getBuffer().setLength(0);
        assertEquals(0, run("search", "debian", "--server", serverArg, "--json"));
        assertEquals("[]\n", out.toString());
    }

    @Test
    void publishingTwiceSaysAlreadyPublished() throws Exception {
        Path file = dir.resolve("a.torrent");
        Files.write(file, torrent("a", 2));
        String key = dir.resolve("me.key").toString();
        assertEquals(0, run("publish", file.toString(), "--server", serverArg, "--key", key));
        assertEquals(0, run("publish", file.toString(), "--server", serverArg, "--key", key));
        assertTrue(out.toString().contains("already published: a"), out.toString());
    }

    @Test
    void publishWithAKeyTheServerDoesNotAllowFailsClearly() throws Exception {
        Path file = dir.resolve("a.torrent");
        Files.write(file, torrent("a", 3));
        String fingerprint = PublisherKey.read(dir.resolve("stranger.key.pub")).fingerprint();
        assertEquals(1, run("publish", file.toString(), "--server", serverArg, "--key", dir.resolve("stranger.key").toString()));
        assertEquals("error: key " + fingerprint + " is not allowed to publish here\n", err.toString());
    }

    @Test
    void publishOfAFileThatIsNotATorrentFailsBeforeConnecting() throws Exception {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "hello");
        assertEquals(1, run("publish", file.toString(), "--server", serverArg, "--key", dir.resolve("me.key").toString()));
        assertTrue(err.toString().startsWith("error: not a .torrent file"), err.toString());
    }

    @Test
    void searchWithoutServerIsAUsageError() {
        assertEquals(2, run("search", "x"));
    }

    @Test
    void searchOfAnUnreachableServerFailsClearly() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertEquals(1, run("search", "x", "--server", "127.0.0.1:" + port));
        assertTrue(err.toString().startsWith("error: cannot reach metadata server 127.0.0.1:" + port), err.toString());
    }
}
