package io.kadtorrent.client.cli;

import io.kadtorrent.engine.SessionConfig;
import picocli.CommandLine.Option;

/** The TCP listener flags shared by {@code seed} and {@code get}; maps onto {@link SessionConfig}. */
final class ListenOptions {

    @Option(names = "--port", paramLabel = "P", defaultValue = "" + SessionConfig.DEFAULT_PORT,
            description = "TCP port for peers (0 = any free port; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    String bind() {
        return bind;
    }

    int port() {
        return port;
    }

    SessionConfig applyTo(SessionConfig config) {
        return config.withPort(port).withBindHost(bind);
    }
}
