package io.kadtorrent.client.cli;

import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.mse.EncryptionPolicy;
import io.kadtorrent.engine.session.Session;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The peer-wire flags shared by {@code seed} and {@code get}: where to listen and whether to encrypt (map
 * onto {@link SessionConfig}) and the peers to dial; the engine dials and redials them itself.
 */
final class PeerOptions {

    @Option(names = "--peer", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "A peer to connect to (repeatable); retried with backoff while the command runs.")
    List<InetSocketAddress> peers = new ArrayList<>();

    @Option(names = "--port", paramLabel = "P", converter = PortConverter.class,
            description = "TCP port for peers (0 = any free port; default: " + SessionConfig.DEFAULT_PORT
                    + " for seed, any free port for get, so both run on one host).")
    Integer port;

    /** The port when {@code --port} is not given: a seed's is well known, a download's need not be. */
    private final int defaultPort;

    PeerOptions(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** For {@code seed}: BEP 3's traditional 6881. */
    static PeerOptions forSeed() {
        return new PeerOptions(SessionConfig.DEFAULT_PORT);
    }

    /** For {@code get}: any free port, so a download never collides with a seed or another download. */
    static PeerOptions forGet() {
        return new PeerOptions(0);
    }

    @Option(names = "--upload-limit", paramLabel = "RATE", converter = RateConverter.class, defaultValue = "0",
            description = "Upload at most RATE bytes/s (500K, 2MiB; 0 = unlimited, the default).")
    long uploadLimit;

    @Option(names = "--download-limit", paramLabel = "RATE", converter = RateConverter.class, defaultValue = "0",
            description = "Download at most RATE bytes/s (0 = unlimited, the default).")
    long downloadLimit;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--encryption", paramLabel = "POLICY", defaultValue = "prefer", converter = EncryptionConverter.class,
            description = EncryptionConverter.DESCRIPTION)
    EncryptionPolicy encryption = EncryptionPolicy.PREFER;

    String bind() {
        return bind;
    }

    int port() {
        return port != null ? port : defaultPort;
    }

    SessionConfig applyTo(SessionConfig config) {
        return config.withPort(port()).withBindHost(bind).withEncryption(encryption);
    }

    /** DESIGN: one {@code listening: <proto> <host>:<port>} line per bound socket. */
    static void printListening(Session session, PrintWriter out) {
        out.println("listening: tcp " + Addresses.format(session.localAddress()));
        session.dhtAddresses().forEach(a -> out.println("listening: udp " + Addresses.format(a)));
        out.flush();
    }

    /** Binds the session's TCP listener and starts its DHT node as {@code dht} says. */
    Session startSession(DhtOptions dht) throws InterruptedException, IOException {
        return startSession(dht.toConfig(bind, port()));
    }

    /** {@link #startSession(DhtOptions)} for one command's work: its DHT node is BEP 43 read-only. */
    Session startOneShotSession(DhtOptions dht) throws InterruptedException, IOException {
        return startSession(dht.toOneShotConfig(bind, port()));
    }

    private Session startSession(DhtConfig dhtConfig) throws InterruptedException, IOException {
        Session session = Session.start(applyTo(SessionConfig.defaults()), dhtConfig, DhtOptions.LOOKUP_INTERVAL);
        session.setRateLimits(uploadLimit, downloadLimit);
        return session;
    }
}
