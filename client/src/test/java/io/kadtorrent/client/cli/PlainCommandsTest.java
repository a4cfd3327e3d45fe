package io.kadtorrent.client.cli;

import io.kadtorrent.daemon.Daemon;
import io.kadtorrent.daemon.DaemonConfig;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands that start without picocli print, exit and write exactly what picocli's run of them does. */
class PlainCommandsTest {

    @TempDir
    Path tmp;

    /** One run, through {@link PlainCommands} when the arguments are plain, or through picocli. */
    private record Run(boolean plain, int exitCode, String out, String err) {
        static Run of(boolean viaPicocli, String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            PrintWriter o = new PrintWriter(out, true);
            PrintWriter e = new PrintWriter(err, true);
            if (viaPicocli) {
                return new Run(false, Main.runWithPicocli(o, e, args), out.toString(), err.toString());
            }
            var code = PlainCommands.run(o, e, args);
            return new Run(code.isPresent(), code.orElse(-1), out.toString(), err.toString());
        }
    }

    private static void assertSameAsPicocli(String... args) {
        Run plain = Run.of(false, args);
        assertTrue(plain.plain(), "not run without picocli: " + String.join(" ", args));
        Run picocli = Run.of(true, args);
        String what = String.join(" ", args);
        assertEquals(picocli.exitCode(), plain.exitCode(), what);
        assertEquals(picocli.out(), plain.out(), what);
        assertEquals(picocli.err(), plain.err(), what);
    }

    @Test
    void lsPrintsWhatPicocliPrintsWithTorrentsWithoutAndWithoutADaemon() throws Exception {
        Path state = tmp.resolve("state");
        try (Daemon daemon = Daemon.start(DaemonConfig.loopback(state, tmp.resolve("downloads")))) {
            assertNotNull(daemon);
            assertSameAsPicocli("ls", "--state", state.toString());
            assertSameAsPicocli("ls", "--json", "--state=" + state);
            Path data = Files.createDirectories(tmp.resolve("data"));
            Files.write(data.resolve("one.bin"), new byte[100_000]);
            Files.writeString(data.resolve("two words.txt"), "caf\u00e9");
            // the two commands must see the same list: wait for a sample in which both shares are checked
            CompletableFuture<Void> bothSeeding = new CompletableFuture<>();
            Runnable unsubscribe = daemon.subscribe(list -> {
                if (list.size() == 2 && list.stream().allMatch(t -> t.state().equals("seeding"))) {
                    bothSeeding.complete(null);
                }
            });
            for (Path p : List.of(data.resolve("one.bin"), data.resolve("two words.txt"))) {
                CliRun share = CliRun.of("share", p.toString(), "--state", state.toString());
                assertEquals(0, share.exitCode(), share.err());
            }
            bothSeeding.get(60, TimeUnit.SECONDS);
            unsubscribe.run();
            assertSameAsPicocli("ls", "--state", state.toString());
            assertSameAsPicocli("ls", "--state", state.toString(), "--json");
        }
        assertSameAsPicocli("ls", "--state", state.toString()); // its daemon.json names a closed port
        assertSameAsPicocli("ls", "--state", tmp.resolve("never").toString());
    }

    @Test
    void createPrintsAndWritesWhatPicocliDoesAndFailsAlike() throws Exception {
        Path share = Files.createDirectories(tmp.resolve("share/sub"));
        Files.write(share.resolve("a.bin"), new byte[70_000]);
        Files.writeString(tmp.resolve("share/.hidden"), "h");
        Files.writeString(tmp.resolve("share/b.tmp"), "t");
        String src = tmp.resolve("share").toString();
        List<List<String>> variants = List.of(
                List.of(),
                List.of("--piece-size", "16K", "--threads", "1", "--name", "shared", "--comment", "hi there"),
                List.of("--node", "127.0.0.1:6881", "--node", "[::1]:7", "--include-hidden", "--exclude", "*.tmp"),
                List.of("--tracker", "udp://127.0.0.1:1,http://127.0.0.1:2/announce", "--tracker", "https://127.0.0.1:3/a", "--private"));
        int i = 0;
        for (List<String> options : variants) {
            Path viaPlain = tmp.resolve("plain" + i + ".torrent");
            Path viaPicocli = tmp.resolve("picocli" + i + ".torrent");
            i++;
            Run plain = Run.of(false, args(src, "-o", viaPlain.toString(), options));
            Run picocli = Run.of(true, args(src, "--output=" + viaPicocli, options));
            assertTrue(plain.plain(), "not plain: " + options);
            assertEquals(picocli.exitCode(), plain.exitCode());
            assertEquals(picocli.out().replace(viaPicocli.toString(), "OUT"), plain.out().replace(viaPlain.toString(), "OUT"));
            assertEquals(picocli.err(), plain.err());
            Metainfo a = MetainfoParser.read(viaPlain);
            Metainfo b = MetainfoParser.read(viaPicocli);
            assertEquals(b.infoHash(), a.infoHash());
            assertEquals(b.comment(), a.comment());
            assertEquals(b.nodes(), a.nodes());
            assertEquals(b.announce(), a.announce());
            assertEquals(b.announceList(), a.announceList());
        }
        // failures after parsing: the same error line and exit code
        assertSameAsPicocli(args(src, "-o", tmp.resolve("plain0.torrent").toString(), List.of())); // exists
        assertSameAsPicocli(args(tmp.resolve("missing").toString(), "-o", tmp.resolve("m.torrent").toString(), List.of()));
        assertSameAsPicocli(args(src, "-o", tmp.resolve("no/such/dir/x.torrent").toString(), List.of()));
        assertSameAsPicocli(args(src, "-o", tmp.toString(), List.of()));
    }

    private static String[] args(String source, String o, String output, List<String> options) {
        List<String> all = new ArrayList<>(List.of("create", source, o, output));
        all.addAll(options);
        return all.toArray(String[]::new);
    }

    private static String[] args(String source, String outputOption, List<String> options) {
        List<String> all = new ArrayList<>(List.of("create", source, outputOption));
        all.addAll(options);
        return all.toArray(String[]::new);
    }

    @Test
    void versionIsPicocliVersionLine() {
        assertSameAsPicocli("--version");
        assertSameAsPicocli("-V");
    }

    @Test
    void anythingNotPlainGoesToPicocli() {
        String f = tmp.resolve("f").toString();
        List<String[]> notPlain = List.of(
                new String[]{},
                new String[]{"ls", "--help"}, new String[]{"ls", "-h"}, new String[]{"ls", "-v"},
                new String[]{"ls", "--json", "--json"}, new String[]{"ls", "--state", "a", "--state", "b"},
                new String[]{"ls", "--state"}, new String[]{"ls", "--state="}, new String[]{"ls", "--state", "--json"},
                new String[]{"ls", "--json=true"}, new String[]{"ls", "extra"}, new String[]{"ls", "@args"},
                new String[]{"ls", "--"}, new String[]{"ls", "--jso"}, new String[]{"-v", "ls"},
                new String[]{"create", f}, new String[]{"create", "-o", f}, new String[]{"create", f, f, "-o", f},
                new String[]{"create", f, "-o", f, "-o", f}, new String[]{"create", f, "-o", f, "--output", f},
                new String[]{"create", f, "-o" + f}, new String[]{"create", f, "-o", f, "--threads", "0x2"},
                new String[]{"create", f, "-o", f, "--threads", "-1"}, new String[]{"create", f, "-o", f, "--threads", "0"},
                new String[]{"create", f, "-o", f, "--piece-size", "1000"}, new String[]{"create", f, "-o", f, "--node", "x"},
                new String[]{"create", f, "-o", f, "--tracker", "ftp://x/a"},
                new String[]{"create", f, "-o", f, "--exclude", "[unclosed"}, new String[]{"create", f, "-o", f, "--force=yes"},
                new String[]{"create", "-", "-o", f},
                new String[]{"--version", "ls"}, new String[]{"--help"}, new String[]{"info", f});
        for (String[] args : notPlain) {
            assertFalse(PlainCommands.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args)
                    .isPresent(), String.join(" ", args));
        }
    }

    /** The daemon's settings as picocli would build them from {@code args} (its parse, then the saved settings). */
    private static DaemonConfig picocliConfig(String... args) throws DaemonCommand.BadOption {
        CommandLine cli = Main.commandLine(args);
        CommandLine daemon = cli.getSubcommands().get("daemon");
        cli.parseArgs(args);
        DaemonCommand command = daemon.getCommand();
        return command.config(daemon.getParseResult()::hasMatchedOption);
    }

    @Test
    void daemonStartsWithWhatPicocliWouldGiveItAndHandsBadOptionsOver() throws Exception {
        String state = tmp.resolve("state").toString();
        String watch = tmp.resolve("watch").toString();
        List<String[]> variants = List.of(
                new String[]{"daemon", "--state", state},
                new String[]{"daemon", "--state=" + state, "--port", "0", "--dht-port", "-1", "--http-port", "0",
                        "--bind", "127.0.0.1", "--watch", watch, "--download-dir", tmp.resolve("dl").toString()},
                new String[]{"daemon", "--state", state, "--dht-port=-2", "--encryption", "require",
                        "--bootstrap", "127.0.0.1:6881", "--bootstrap", "[::1]:7", "--http-bind", "::1"});
        for (String[] args : variants) {
            DaemonConfig plain = DaemonCommand.plain(args).flatMap(DaemonCommand::plainConfig).orElseThrow();
            assertEquals(picocliConfig(args), plain, String.join(" ", args));
        }
        // what one start saved is the next start's default, on either path
        Files.createDirectories(tmp.resolve("state"));
        Files.writeString(tmp.resolve("state/settings.json"),
                "{\"port\": \"7001\", \"dht-port\": \"-1\", \"watch\": \"" + watch.replace("\\", "\\\\") + "\"}");
        String[] bare = {"daemon", "--state", state, "--port", "7002"};
        DaemonConfig plain = DaemonCommand.plain(bare).flatMap(DaemonCommand::plainConfig).orElseThrow();
        assertEquals(picocliConfig(bare), plain);
        assertEquals(7002, plain.port());
        assertEquals(-1, plain.dhtPort());
        assertEquals(Path.of(watch).toAbsolutePath(), plain.watchDir().orElseThrow());
        // bad values and anything unusual go to picocli, which reports them (exit 2)
        for (String[] args : List.of(new String[]{"daemon", "--state", state, "--port", "70000"},
                new String[]{"daemon", "--state", state, "--port", "abc"},
                new String[]{"daemon", "--state", state, "--port", "-"},
                new String[]{"daemon", "--state", state, "--dht-port", "-3"},
                new String[]{"daemon", "--state", state, "--bind", "no.such.host.invalid"},
                new String[]{"daemon", "--state", state, "--encryption", "maybe"},
                new String[]{"daemon", "--state", state, "--bootstrap", "nohostport"},
                new String[]{"daemon", "--state", state, "--watch", "-1"},
                new String[]{"daemon", "--help"}, new String[]{"daemon", "-v"}, new String[]{"daemon", "extra"})) {
            assertFalse(PlainCommands.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args)
                    .isPresent(), String.join(" ", args));
        }
        Run refused = Run.of(true, "daemon", "--state", state, "--port", "70000");
        assertEquals(2, refused.exitCode(), refused.err());
    }

    /** Every option a plain parse reads is picocli's option of that name, with the same arity (drift guard). */
    @Test
    void plainOptionsArePicocliOptions() {
        CommandLine cli = Main.commandLine("create");
        var create = cli.getSubcommands().get("create").getCommandSpec();
        assertFlagOrValue(create.findOption("-o"), true, false);
        assertEquals(create.findOption("-o"), create.findOption("--output"));
        for (String single : List.of("--piece-size", "--name", "--comment", "--threads")) {
            assertFlagOrValue(create.findOption(single), true, false);
        }
        for (String repeatable : List.of("--node", "--exclude")) {
            assertFlagOrValue(create.findOption(repeatable), true, true);
        }
        for (String flag : List.of("--include-hidden", "--force")) {
            assertFlagOrValue(create.findOption(flag), false, false);
        }
        var daemon = Main.commandLine("daemon").getSubcommands().get("daemon").getCommandSpec();
        for (String single : List.of("--state", "--download-dir", "--port", "--dht-port", "--http-port", "--bind",
                "--http-bind", "--encryption", "--watch")) {
            assertFlagOrValue(daemon.findOption(single), true, false);
        }
        assertFlagOrValue(daemon.findOption("--bootstrap"), true, true);
        var ls = Main.commandLine("ls").getSubcommands().get("ls").getCommandSpec();
        assertFlagOrValue(ls.findOption("--json"), false, false);
        assertFlagOrValue(ls.findOption("--state"), true, false);
    }

    private static void assertFlagOrValue(OptionSpec option, boolean takesValue, boolean repeatable) {
        assertNotNull(option);
        assertEquals(takesValue, option.arity().max() > 0, option.longestName());
        assertEquals(repeatable, option.isMultiValue(), option.longestName());
    }
}
