package io.kadtorrent.client.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A usage error is one line, a hint and exit code 2, never the whole help. */
class UsageErrorsTest {

    @Test
    void aMissingOptionGivesOneLineAndAHintNotTheHelp() {
        CliRun run = CliRun.of("get", "photos");
        assertEquals(2, run.exitCode());
        assertEquals("error: Missing required option: '--output=DIR'\ntry 'kadtorrent get --help'",
                run.err().strip());
        assertEquals("", run.out());
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        for (String[] args : new String[][] {
                {"get", "t.torrent", "-o", "out", "--peer", "127.0.0.1:1", "--port", "70000"},
                {"seed", "t.torrent", "--data", "d", "--dht-port", "-1"},
                {"metadata-server", "--dir", "c", "--port", "65536"},
                {"dht-node", "--port", "x"}}) {
            CliRun run = CliRun.of(args);
            assertEquals(2, run.exitCode(), String.join(" ", args) + ": " + run.err());
            assertTrue(run.err().contains("is not a port number (0..65535)"), run.err());
            assertTrue(run.err().contains("try 'kadtorrent " + args[0] + " --help'"), run.err());
            assertFalse(run.err().contains("Usage:"), run.err());
        }
    }

    @Test
    void anErrorFoundWhileRunningIsAUsageErrorToo() {
        CliRun run = CliRun.of("get", "0123456789abcdef0123456789abcdef01234567", "-o", "out");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("error: no way to find peers"), run.err());
        assertEquals(2, run.err().lines().count(), run.err());
    }

    @Test
    void noCommandNamesEveryCommandInOneLine() {
        CliRun run = CliRun.of();
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("error: missing command: one of create, info, seed, get,"), run.err());
        assertTrue(run.err().contains("try 'kadtorrent --help'"), run.err());
    }

    @Test
    void seedGetAndMetadataServerDefaultToPortsThatDoNotCollide() {
        SeedCommand seed = command("seed", "t.torrent", "--data", "d");
        GetCommand get = command("get", "t.torrent", "-o", "out");
        MetadataServerCommand server = command("metadata-server", "--dir", "c");
        assertEquals(6881, seed.wire.port());
        assertEquals(0, get.wire.port()); // any free port: a get never takes the seed's
        assertEquals(6880, server.port);
        assertEquals(6880, server.dhtPort); // UDP; the seed's DHT node takes UDP 6881
        assertEquals(3, Set.of(seed.wire.port(), server.port, get.wire.port()).size());
        String help = CliRun.of("get", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("default: 6881 for seed, any free port for get"), help);
    }

    @Test
    void everyLongRunningCommandDefaultsToItsOwnUdpPort() {
        SeedCommand seed = command("seed", "t.torrent", "--data", "d"); // its DHT node on its TCP port's number
        MetadataServerCommand server = command("metadata-server", "--dir", "c");
        DhtNodeCommand node = command("dht-node");
        DaemonCommand daemon = command("daemon", "--state", "s"); // its DHT node on its TCP port's number too
        assertEquals(4, Set.of(seed.wire.port(), server.dhtPort, node.port, daemon.port).size());
    }

    @Test
    void anExplicitPortWins() {
        GetCommand get = command("get", "t.torrent", "-o", "out", "--port", "7000");
        assertEquals(7000, get.wire.port());
    }

    @Test
    void encryptionDefaultsToPreferAndAnUnknownPolicyIsAUsageError() {
        GetCommand get = command("get", "t.torrent", "-o", "out");
        assertEquals(io.kadtorrent.engine.mse.EncryptionPolicy.PREFER, get.wire.applyTo(
                io.kadtorrent.engine.SessionConfig.defaults()).encryption());
        SeedCommand seed = command("seed", "t.torrent", "--data", "d", "--encryption", "REQUIRE");
        assertEquals(io.kadtorrent.engine.mse.EncryptionPolicy.REQUIRE, seed.wire.encryption);
        for (String cmd : new String[]{"get", "seed", "daemon"}) {
            CliRun run = cmd.equals("daemon") ? CliRun.of(cmd, "--encryption", "maybe")
                    : CliRun.of(cmd, "t.torrent", "-o", "out", "--data", "d", "--encryption", "maybe");
            assertEquals(2, run.exitCode(), run.err());
            assertTrue(run.err().contains("encryption policy must be one of disabled, enabled, prefer, require"),
                    run.err());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T command(String... args) {
        CommandLine cli = Main.commandLine(args);
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        return (T) parsed.subcommand().commandSpec().userObject();
    }
}
