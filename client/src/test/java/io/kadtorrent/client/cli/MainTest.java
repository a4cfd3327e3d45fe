package io.kadtorrent.client.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    @Test
    void noCommandIsAUsageErrorThatListsTheCommands() {
        CliRun run = CliRun.of();
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("missing command") && run.err().contains("metadata-server"), run.err());
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        for (String command : new String[] {"create", "info", "seed", "get", "metadata-server", "publish", "search",
                "keygen", "dht-node", "dht"}) {
            CliRun run = CliRun.of(command, "--help");
            assertEquals(0, run.exitCode(), command + ": " + run.err());
            assertTrue(run.out().contains("Examples:") && run.out().contains("kadtorrent " + command), command);
        }
    }

    @Test
    void aRunOfOneCommandBuildsOnlyThatCommandAndEverythingElseBuildsAll() {
        assertEquals(java.util.Set.of("create"), Main.commandLine("-v", "create", "x", "-o", "y").getSubcommands().keySet());
        assertEquals(25, Main.commandLine().getSubcommands().size());
        assertEquals(25, Main.commandLine("help", "create").getSubcommands().size());
        assertEquals(25, Main.commandLine("crate", "x").getSubcommands().size());
    }

    @Test
    void helpOfACommandAndTheInheritedVerboseFlagWorkWithOnlyThatCommandBuilt() {
        CliRun help = CliRun.of("help", "create");
        assertEquals(0, help.exitCode(), help.err());
        assertEquals(CliRun.of("create", "--help").out(), help.out());
        CliRun verbose = CliRun.of("info", "-v", "missing.torrent");
        assertEquals(1, verbose.exitCode(), verbose.err());
    }

    @Test
    void aMistypedCommandIsAUsageErrorThatSuggestsTheRightOne() {
        CliRun run = CliRun.of("crate", "x");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("create"), run.err());
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(2, CliRun.of("info", "--no-such-option", "x.torrent").exitCode());
    }
}
