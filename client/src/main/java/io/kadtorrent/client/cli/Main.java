package io.kadtorrent.client.cli;

import java.io.PrintWriter;
import java.util.Arrays;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Entry point of the {@code kadtorrent} command: one picocli subcommand per verb of the CLI
 * contract (DESIGN.md). Exit codes: 0 success, 1 failure, 2 usage error.
 */
@Command(name = "kadtorrent",
        mixinStandardHelpOptions = true,
        version = "kadtorrent 0.1.0",
        description = "Decentralized torrent-style file sharing: BEP 3 torrents and peer wire, BEP 5 DHT.",
        subcommands = {
                CommandLine.HelpCommand.class,
                CreateCommand.class,
                InfoCommand.class,
                SeedCommand.class,
                GetCommand.class,
                DhtNodeCommand.class,
                DhtCommand.class,
                MetadataServerCommand.class,
                PublishCommand.class,
                SearchCommand.class,
                KeygenCommand.class,
        })
public final class Main implements Runnable {

    /** Wide enough that the examples in each command's help stay on one line. */
    private static final int USAGE_WIDTH = 110;

    @Option(names = {"-v", "--verbose"}, description = "Debug logs and stack traces.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose")) {
            // before the first logger exists: slf4j-simple reads its level once
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (used by tests without exiting the JVM). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Runs the CLI with its output and error streams redirected (for in-process tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    private static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(CliErrors::handle);
        cli.setUsageHelpWidth(USAGE_WIDTH);
        return cli;
    }

    @Spec
    CommandSpec spec;

    /** {@code kadtorrent} without a command is a usage error (exit 2), with the list of commands. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command (see the list below)");
    }
}
