package io.kadtorrent.client.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --state DIR}: the daemon's state folder, shared by the daemon and the commands that talk to it. */
final class StateOption {

    @Option(names = "--state", paramLabel = "DIR",
            description = "The daemon's state folder (default: $XDG_STATE_HOME/kadtorrent, else ~/.local/state/kadtorrent).")
    Path state;

    Path dir() {
        return state != null ? state : defaultDir();
    }

    static Path defaultDir() {
        String override = System.getProperty("kadtorrent.stateDir"); // tests: never the user's own folder
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("kadtorrent");
    }

    DaemonClient connect() throws java.io.IOException {
        return DaemonClient.connect(dir());
    }
}
