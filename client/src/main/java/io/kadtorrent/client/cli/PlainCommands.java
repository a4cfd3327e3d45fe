package io.kadtorrent.client.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Runs {@code ls}, {@code create}, {@code daemon} and {@code --version} without picocli when their arguments are plain
 * ({@link PlainArgs}). Each CLI command is a fresh JVM, and picocli's reflection over a command's annotations
 * costs a cold start about 0.12 s (bench/RESULTS.md, start-up) -- more than half of what the short commands may
 * take. The same command objects run here, with the same output, exit codes and error lines; any other
 * arguments, help and usage errors included, go to picocli.
 */
final class PlainCommands {

    private PlainCommands() {
    }

    /** The exit code of {@code args} run without picocli, or empty when picocli has to parse them. */
    static OptionalInt run(PrintWriter out, PrintWriter err, String... args) {
        if (args.length == 0) {
            return OptionalInt.empty();
        }
        try {
            switch (args[0]) {
                case "ls" -> {
                    Optional<QueryCommands.Ls> ls = QueryCommands.Ls.plain(args);
                    return ls.isPresent() ? OptionalInt.of(ls.get().call(out, err)) : OptionalInt.empty();
                }
                case "create" -> {
                    Optional<CreateCommand> create = CreateCommand.plain(args);
                    return create.isPresent() ? OptionalInt.of(create.get().call(out)) : OptionalInt.empty();
                }
                case "daemon" -> {
                    Optional<DaemonCommand> daemon = DaemonCommand.plain(args);
                    Optional<io.kadtorrent.daemon.DaemonConfig> config = daemon.flatMap(DaemonCommand::plainConfig);
                    return config.isPresent() ? OptionalInt.of(daemon.get().run(config.get(), out)) : OptionalInt.empty();
                }
                case "--version", "-V" -> {
                    if (args.length != 1) {
                        return OptionalInt.empty();
                    }
                    out.println(Main.VERSION);
                    out.flush();
                    return OptionalInt.of(0);
                }
                default -> {
                    return OptionalInt.empty();
                }
            }
        } catch (Exception e) { // what picocli's execution handler (CliErrors.handle) does without -v
            return OptionalInt.of(CliErrors.report(e, err));
        }
    }
}
