package io.kadtorrent.client.cli;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

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
        version = Main.VERSION,
        description = "Decentralized torrent-style file sharing: BEP 3 torrents and peer wire, BEP 5 DHT.")
public final class Main implements Runnable {

    /** What {@code --version} prints. */
    static final String VERSION = "kadtorrent 0.1.0";

    /**
     * The subcommands' names, in the order of the help listing. They are registered in code rather
     * than in {@code @Command(subcommands)} so that a run of one command builds only that command's
     * model: on a cold JVM picocli's reflection over all eleven cost about 70 ms
     * ({@code create --help}: 0.32 s before, 0.25 s after).
     */
    static final List<String> COMMANDS = List.of("help", "create", "info", "seed", "get", "dht-node",
            "dht", "metadata-server", "publish", "search", "scrape", "keygen", "daemon", "add", "ls", "show", "peers", "pause",
            "resume", "prio", "limit", "stream", "rm", "share", "unshare", "ui", "simulate");

    /** A new instance of the named command (a switch, not lambdas: each lambda costs start-up time). */
    private static Object newCommand(String name) {
        return switch (name) {
            case "help" -> new CommandLine.HelpCommand();
            case "create" -> new CreateCommand();
            case "info" -> new InfoCommand();
            case "seed" -> new SeedCommand();
            case "get" -> new GetCommand();
            case "dht-node" -> new DhtNodeCommand();
            case "dht" -> new DhtCommand();
            case "metadata-server" -> new MetadataServerCommand();
            case "publish" -> new PublishCommand();
            case "search" -> new SearchCommand();
            case "scrape" -> new ScrapeCommand();
            case "keygen" -> new KeygenCommand();
            case "daemon" -> new DaemonCommand();
            case "add" -> new TorrentCommands.Add();
            case "ls" -> new QueryCommands.Ls();
            case "show" -> new QueryCommands.Show();
            case "peers" -> new QueryCommands.Peers();
            case "pause" -> new TorrentCommands.Pause();
            case "resume" -> new TorrentCommands.Resume();
            case "prio" -> new TorrentCommands.Prio();
            case "limit" -> new LimitCommand();
            case "stream" -> new QueryCommands.Stream();
            case "rm" -> new TorrentCommands.Rm();
            case "share" -> new ShareCommands.Share();
            case "unshare" -> new ShareCommands.Unshare();
            case "ui" -> new QueryCommands.Ui();
            case "simulate" -> new SimulateCommand();
            default -> throw new IllegalArgumentException("no command " + name);
        };
    }

    /** Wide enough that the examples in each command's help stay on one line. */
    private static final int USAGE_WIDTH = 110;

    @Option(names = {"-v", "--verbose"}, description = "Debug logs and stack traces.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    public static void main(String[] args) {
        // Netty 4.2 reports its allocator's chunks as JFR events; registering those event classes starts
        // JFR's metadata machinery (about 70 classes) inside the first connection, though nothing records
        // them here. Off unless asked for: 0.1-0.2 s less from start to the first peer (bench/RESULTS.md).
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        if (Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose")) {
            // before the first logger exists: slf4j-simple reads its level once
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        for (String a : args) {
            if (!a.startsWith("-")) { // the command's name: the first argument that is not an option
                if (JitPolicy.appliesTo(a)) {
                    JitPolicy.startApplying();
                }
                break;
            }
        }
        System.exit(run(args));
    }

    /**
     * Runs the CLI and returns its exit code (used by tests without exiting the JVM). Plain {@code ls},
     * {@code create} and {@code --version} run without picocli ({@link PlainCommands}), printing through writers
     * made as picocli makes its own.
     */
    public static int run(String... args) {
        OptionalInt plain = PlainCommands.run(consoleWriter(System.out, "sun.stdout.encoding"),
                consoleWriter(System.err, "sun.stderr.encoding"), args);
        return plain.isPresent() ? plain.getAsInt() : commandLine(args).execute(args);
    }

    /** Runs the CLI with its output and error streams redirected (for in-process tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        OptionalInt plain = PlainCommands.run(out, err, args);
        return plain.isPresent() ? plain.getAsInt() : runWithPicocli(out, err, args);
    }

    /** Runs the CLI through picocli whatever the arguments (tests compare it with {@link PlainCommands}). */
    static int runWithPicocli(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine(args);
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    /**
     * A writer on standard output or error as picocli 4.7 makes its own ({@code CommandLine.getOut()}): buffered,
     * flushed at each line, in the charset the JVM names for that stream, else the default one.
     */
    private static PrintWriter consoleWriter(OutputStream stream, String encodingProperty) {
        String name = System.getProperty(encodingProperty);
        Charset charset = Charset.defaultCharset();
        if (name != null) {
            try {
                charset = Charset.forName("cp65001".equalsIgnoreCase(name) ? "UTF-8" : name);
            } catch (RuntimeException e) {
                // picocli falls back to the default charset too
            }
        }
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
    }

    /**
     * The command line for {@code args}: with only the named command when the first argument that
     * is not an option names one (its parsing, help and errors are the same either way), with all
     * of them otherwise (also for no arguments), so that {@code help}, the command list and "did you
     * mean" stay complete.
     * Subcommands are added before the settings below, which picocli passes down to them.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new Main());
        String verb = verb(args);
        if (COMMANDS.contains(verb) && !verb.equals("help")) {
            cli.addSubcommand(verb, newCommand(verb));
        } else if (verb.isEmpty() && asksVersion(args)) {
            // `kadtorrent --version` prints one line: building every command's model first cost 0.3 s
        } else {
            for (String name : COMMANDS) {
                cli.addSubcommand(name, newCommand(name));
            }
        }
        cli.setExecutionExceptionHandler(CliErrors::handle);
        cli.setParameterExceptionHandler(CliErrors::handleUsage);
        cli.setUsageHelpWidth(USAGE_WIDTH);
        return cli;
    }

    /** True when the arguments ask for the version (before any command's name, which they do when there is none). */
    private static boolean asksVersion(String... args) {
        return Arrays.asList(args).contains("-V") || Arrays.asList(args).contains("--version");
    }

    /** The first argument that is not an option (the command's name), or "". */
    private static String verb(String... args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return arg;
            }
        }
        return "";
    }

    @Spec
    CommandSpec spec;

    /** {@code kadtorrent} without a command is a usage error (exit 2) that names the commands. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", COMMANDS.subList(1, COMMANDS.size())));
    }
}
