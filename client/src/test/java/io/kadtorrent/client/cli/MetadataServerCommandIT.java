package io.kadtorrent.client.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataServerCommandIT {

    @TempDir
    Path dir;

    @Test
    void withoutAWorkingDhtTheServerRefusesToStartWithAClearError() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler(CliErrors::handle);
        int code = cli.execute("metadata-server", "--dir", dir.resolve("c").toString(), "--port", "0",
                "--dht-port", "0", "--bind", "127.0.0.1", "--open");
        assertEquals(1, code);
        assertTrue(err.toString().contains("error: embedded DHT node unavailable"), err.toString());
    }
}
