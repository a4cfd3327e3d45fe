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
    void unknownOptionIsAUsageError() {
        assertEquals(2, CliRun.of("info", "--no-such-option", "x.torrent").exitCode());
    }
}
