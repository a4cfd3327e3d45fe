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
    private void defaultToSavedSettings() {
        Map<String, String> saved = StateDir.readSettings(state.dir());
        var parsed = spec.commandLine().getParseResult();
        java.util.function.BiConsumer<String, java.util.function.Consumer<String>> take = (option, set) -> {
            if (!parsed.hasMatchedOption("--" + option) && saved.containsKey(option)) {
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
            throw new ParameterException(spec.commandLine(), "the saved settings in " + state.dir().resolve("settings.json")
                    + " are unusable (" + e.getMessage() + "); give the options on the command line or delete the file");
        }
    }

    @Override
    public Integer call() throws Exception {
        defaultToSavedSettings();
        for (int[] p : new int[][]{{port}, {httpPort}}) {
            if (p[0] < 0 || p[0] > 0xFFFF) {
                throw new ParameterException(spec.commandLine(), "ports must be in 0..65535: " + p[0]);
            }
        }
        if (dhtPort < -2 || dhtPort > 0xFFFF) {
            throw new ParameterException(spec.commandLine(), "--dht-port must be in 0..65535, or -1 for no DHT");
        }
        for (String a : List.of(bind, httpBind)) {
            try {
                InetAddress.getByName(a);
            } catch (java.net.UnknownHostException e) {
                throw new ParameterException(spec.commandLine(), "cannot resolve address " + a);
            }
        }
        Path downloads = downloadDir != null ? downloadDir
                : Path.of(System.getProperty("user.home"), "Downloads");
        DaemonConfig config = new DaemonConfig(state.dir(), downloads.toAbsolutePath(), bind, port,
                dhtPort < -1 ? port : dhtPort, httpBind, httpPort, Optional.ofNullable(watch).map(Path::toAbsolutePath),
                bootstrap, encryption);
        PrintWriter out = spec.commandLine().getOut();
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
