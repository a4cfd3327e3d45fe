package io.kadtorrent.client.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * What every command that talks to a running daemon shares: the daemon found through {@code --state}, the
 * output, and the daemon's errors as exit code 1. The commands' stable lines follow DESIGN.md's CLI contract.
 */
abstract class RemoteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StateOption state = new StateOption();

    private PrintWriter out;

    PrintWriter out() {
        return out;
    }

    @Override
    public final Integer call() throws Exception {
        return call(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Runs the command, printing to these: picocli's streams, or {@link PlainCommands}' without picocli. */
    final int call(PrintWriter out, PrintWriter err) throws Exception {
        this.out = out;
        checkUsage();
        try {
            run(state.connect());
        } catch (DaemonClient.DaemonException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
        out.flush();
        return 0;
    }

    abstract void run(DaemonClient daemon) throws Exception;

    /** Throws a usage error for options that do not go together, before the daemon is asked anything. */
    void checkUsage() {
    }

    /** The daemon API's path of one torrent: an info_hash, a unique prefix of one, or a unique name. */
    static String path(String id) {
        return "/api/v1/torrents/" + DaemonClient.encode(id);
    }
}
