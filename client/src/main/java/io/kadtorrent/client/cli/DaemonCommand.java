package io.kadtorrent.client.cli;

import io.kadtorrent.daemon.Daemon;
import io.kadtorrent.daemon.DaemonConfig;
import io.kadtorrent.daemon.StateDir;
import io.kadtorrent.engine.mse.EncryptionPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/**
 * {@code kadtorrent daemon}: the long-running client. One session, any number of torrents, controlled through
 * the HTTP API (and the commands add, ls, show, peers, pause, resume, rm, share, unshare) until Ctrl-C.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Run the long-running client: one peer port, one DHT node, any number of torrents,",
                "controlled over an HTTP API on 127.0.0.1 (token in DIR/token) and a web UI at /ui/.",
                "Everything it needs to come back after a restart or a crash is kept in the state folder;",
                "options given once are saved there and are the defaults of the next start."},
        footerHeading = "%nExamples:%n",
        footer = {"  kadtorrent daemon",
                "  kadtorrent daemon --state ~/kt --download-dir ~/Downloads --watch ~/torrents",
                "  kadtorrent daemon --bind 127.0.0.1 --port 0 --http-port 0 --dht-port -1"})
final class DaemonCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StateOption state = new StateOption();

    @Option(names = "--download-dir", paramLabel = "DIR",
            description = "Where added torrents land unless 'add -o' says otherwise (default: ~/Downloads).")
    Path downloadDir;

    @Option(names = "--port", paramLabel = "P", defaultValue = "" + DaemonConfig.DEFAULT_PORT,
            description = "TCP port for peers (0 = any free port; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--dht-port", paramLabel = "U", defaultValue = "-2",
            description = "UDP port of the DHT node (0 = any free port, -1 = no DHT; default: the same as --port).")
    int dhtPort;

    @Option(names = "--http-port", paramLabel = "H", defaultValue = "" + DaemonConfig.DEFAULT_HTTP_PORT,
            description = "Port of the control API and web UI (0 = any free port; default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "Address for peers and the DHT (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--http-bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address of the API (default ${DEFAULT-VALUE}; every request needs the token either way).")
    String httpBind;

    @Option(names = "--encryption", paramLabel = "POLICY", defaultValue = "prefer", converter = EncryptionConverter.class,
            description = EncryptionConverter.DESCRIPTION)
    EncryptionPolicy encryption = EncryptionPolicy.PREFER;

    @Option(names = "--watch", paramLabel = "DIR",
            description = "Add every .torrent or .magnet file dropped in DIR (renamed .added or .invalid after).")
    Path watch;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "A DHT node to join through (repeatable).")
    List<InetSocketAddress> bootstrap = new ArrayList<>();

    /** Options not given on this command line take the value the last start saved in the state folder. */
    private void defaultToSavedSettings(Predicate<String> given) throws BadOption {
        Map<String, String> saved = StateDir.readSettings(state.dir());
        java.util.function.BiConsumer<String, java.util.function.Consumer<String>> take = (option, set) -> {
            if (!given.test("--" + option) && saved.containsKey(option)) {
                set.accept(saved.get(option));
            }
        };
        try {
            take.accept("download-dir", v -> downloadDir = Path.of(v));
            take.accept("port", v -> port = Integer.parseInt(v));
            take.accept("dht-port", v -> dhtPort = Integer.parseInt(v));
            take.accept("http-port", v -> httpPort = Integer.parseInt(v));
            take.accept("bind", v -> bind = v);
            take.accept("http-bind", v -> httpBind = v);
            take.accept("watch", v -> watch = Path.of(v));
            take.accept("encryption", v -> encryption = EncryptionPolicy.parse(v));
            take.accept("bootstrap", v -> {
                for (String a : v.split(",")) {
                    bootstrap.add(new HostPortConverter().convert(a));
                }
            });
        } catch (RuntimeException e) {
            throw new BadOption("the saved settings in " + state.dir().resolve("settings.json")
                    + " are unusable (" + e.getMessage() + "); give the options on the command line or delete the file");
        }
    }

    /** A usage error found once the options are parsed: picocli's path reports it, the plain one hands over. */
    static final class BadOption extends Exception {
        BadOption(String message) {
            super(message, null, false, false);
        }
    }

    private static final PlainArgs PLAIN = PlainArgs.of("daemon").option("--state").option("--download-dir")
            .number("--port").number("--dht-port").number("--http-port").option("--bind").option("--http-bind")
            .option("--encryption").option("--watch").repeatable("--bootstrap");

    /**
     * {@code daemon [options]} without picocli, or empty when an argument is not plain or a value is bad: picocli
     * then parses them again and says what is wrong. Its reflection over this command's annotations took about
     * 0.2 s of a restart on a loaded machine (bench/RESULTS.md, daemon).
     */
    static Optional<DaemonCommand> plain(String[] args) {
        Optional<PlainArgs.Parsed> parsed = PLAIN.parse(args);
        if (parsed.isEmpty() || !parsed.get().positionals().isEmpty()) {
            return Optional.empty();
        }
        PlainArgs.Parsed a = parsed.get();
        DaemonCommand c = new DaemonCommand();
        try {
            c.state.state = a.has("--state") ? Path.of(a.value("--state")) : null;
            c.downloadDir = a.has("--download-dir") ? Path.of(a.value("--download-dir")) : null;
            c.port = a.has("--port") ? plainInt(a.value("--port")) : DaemonConfig.DEFAULT_PORT;
            c.dhtPort = a.has("--dht-port") ? plainInt(a.value("--dht-port")) : -2;
            c.httpPort = a.has("--http-port") ? plainInt(a.value("--http-port")) : DaemonConfig.DEFAULT_HTTP_PORT;
            c.bind = a.has("--bind") ? a.value("--bind") : "0.0.0.0";
            c.httpBind = a.has("--http-bind") ? a.value("--http-bind") : "127.0.0.1";
            c.encryption = a.has("--encryption") ? new EncryptionConverter().convert(a.value("--encryption"))
                    : EncryptionPolicy.PREFER;
            c.watch = a.has("--watch") ? Path.of(a.value("--watch")) : null;
            for (String b : a.values("--bootstrap")) {
                c.bootstrap.add(new HostPortConverter().convert(b));
            }
        } catch (RuntimeException e) { // picocli reports it in its words
            return Optional.empty();
        }
        c.given = a::has;
        return Optional.of(c);
    }

    /** An int as picocli reads one ({@code Integer.valueOf}), from digits with an optional minus only. */
    private static int plainInt(String text) {
        if (!text.matches("-?[0-9]{1,9}")) {
            throw new NumberFormatException(text);
        }
        return Integer.parseInt(text);
    }

    /** Which options the command line gave, by name (the plain path; picocli's parse result otherwise). */
    private Predicate<String> given;

    @Override
    public Integer call() throws Exception {
        var parsed = spec.commandLine().getParseResult();
        DaemonConfig config;
        try {
            config = config(parsed::hasMatchedOption);
        } catch (BadOption e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return run(config, spec.commandLine().getOut());
    }

    /**
     * The daemon's settings: the options given, else the saved ones, else the defaults.
     *
     * @throws BadOption when a port or address is out of range or unknown
     */
    DaemonConfig config(Predicate<String> given) throws BadOption {
        defaultToSavedSettings(given);
        for (int[] p : new int[][]{{port}, {httpPort}}) {
            if (p[0] < 0 || p[0] > 0xFFFF) {
                throw new BadOption("ports must be in 0..65535: " + p[0]);
            }
        }
        if (dhtPort < -2 || dhtPort > 0xFFFF) {
            throw new BadOption("--dht-port must be in 0..65535, or -1 for no DHT");
        }
        for (String a : List.of(bind, httpBind)) {
            try {
                InetAddress.getByName(a);
            } catch (java.net.UnknownHostException e) {
                throw new BadOption("cannot resolve address " + a);
            }
        }
        Path downloads = downloadDir != null ? downloadDir
                : Path.of(System.getProperty("user.home"), "Downloads");
        return new DaemonConfig(state.dir(), downloads.toAbsolutePath(), bind, port,
                dhtPort < -1 ? port : dhtPort, httpBind, httpPort, Optional.ofNullable(watch).map(Path::toAbsolutePath),
                bootstrap, encryption);
    }

    /** The plain path: empty when the options are bad (picocli then parses them again and reports it). */
    Optional<DaemonConfig> plainConfig() {
        try {
            return Optional.of(config(given));
        } catch (BadOption e) {
            return Optional.empty();
        }
    }

    /** Runs the daemon until Ctrl-C (or a kill), printing the listening lines to {@code out}. */
    int run(DaemonConfig config, PrintWriter out) throws Exception {
        Daemon daemon = Daemon.start(config);
        daemon.restored().thenRun(JitPolicy::liftOnceApplied); // Main restricted C2 for the restore
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.err.println("stopping: saving resume data");
            daemon.close();
            stopped.countDown();
        }, "kadtorrent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("listening: tcp " + Addresses.format(daemon.peerAddress()));
        daemon.dhtAddress().ifPresent(a -> out.println("listening: udp " + Addresses.format(a)));
        out.println("listening: http " + Addresses.format(daemon.httpAddress()));
        out.println("state: " + daemon.state().path());
        out.println("download-dir: " + config.downloadDir());
        out.println("web UI: kadtorrent ui" + (state.state != null ? " --state " + state.dir() : "")
                + "  (prints a login link)");
        out.flush();
        stopped.await();
        return 0;
    }
}
