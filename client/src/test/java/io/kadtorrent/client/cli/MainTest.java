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
        int all = Main.COMMANDS.size();
        assertEquals(all, Main.commandLine().getSubcommands().size());
        assertEquals(all, Main.commandLine("help", "create").getSubcommands().size());
        assertEquals(all, Main.commandLine("crate", "x").getSubcommands().size());
        assertEquals(all, Main.commandLine("--help").getSubcommands().size());
    }

    @Test
    void versionAloneBuildsNoCommandAndPrintsOneLine() {
        assertEquals(0, Main.commandLine("--version").getSubcommands().size());
        for (String flag : new String[] {"--version", "-V"}) {
            CliRun run = CliRun.of(flag);
            assertEquals(0, run.exitCode(), run.err());
            assertEquals("kadtorrent 0.1.0", run.out().strip());
        }
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
