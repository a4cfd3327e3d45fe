package io.kadtorrent.client.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the CLI with its captured output. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The value of the first {@code key: value} line of stdout, or null. */
    String line(String key) {
        return out.lines().filter(l -> l.startsWith(key + ": ")).map(l -> l.substring(key.length() + 2))
                .findFirst().orElse(null);
    }
}
