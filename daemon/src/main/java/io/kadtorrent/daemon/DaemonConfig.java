package io.kadtorrent.daemon;

import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.mse.EncryptionPolicy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Settings of one daemon; the {@code daemon} command's flags map onto these.
 *
 * @param stateDir    the state folder ({@link StateDir})
 * @param downloadDir where added torrents land unless an add says otherwise
 * @param bindHost    address of the peer listener and the DHT node
 * @param port        TCP peer port (0 = any free port)
 * @param dhtPort     UDP port of the DHT node (0 = any free port, -1 = no DHT)
 * @param httpHost    address of the control API (loopback unless the user says otherwise)
 * @param httpPort    port of the control API (0 = any free port)
 * @param watchDir    a folder whose {@code .torrent} and {@code .magnet} files are added, if any
 * @param bootstrap   DHT nodes to join through
 * @param encryption  when peer connections use MSE/PE stream encryption
 */
public record DaemonConfig(Path stateDir, Path downloadDir, String bindHost, int port, int dhtPort, String httpHost,
                           int httpPort, Optional<Path> watchDir, List<InetSocketAddress> bootstrap,
                           EncryptionPolicy encryption) {

    public static final int DEFAULT_PORT = 6882;
    public static final int DEFAULT_HTTP_PORT = 6883;

    public DaemonConfig {
        checkPort("port", port);
        checkPort("HTTP port", httpPort);
        if (dhtPort < -1 || dhtPort > 0xFFFF) {
            throw new IllegalArgumentException("DHT port must be in 0..65535 (or -1 for no DHT): " + dhtPort);
        }
        bootstrap = List.copyOf(bootstrap);
        java.util.Objects.requireNonNull(encryption, "encryption");
    }

    private static void checkPort(String what, int p) {
        if (p < 0 || p > 0xFFFF) {
            throw new IllegalArgumentException(what + " must be in 0..65535: " + p);
        }
    }

    /** The settings a later start defaults to (see {@link StateDir#readSettings}). */
    public java.util.Map<String, String> toSettings() {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        out.put("download-dir", downloadDir.toString());
        out.put("port", String.valueOf(port));
        out.put("dht-port", String.valueOf(dhtPort));
        out.put("http-port", String.valueOf(httpPort));
        out.put("bind", bindHost);
        out.put("http-bind", httpHost);
        watchDir.ifPresent(w -> out.put("watch", w.toString()));
        out.put("encryption", encryption.label());
        if (!bootstrap.isEmpty()) {
            out.put("bootstrap", String.join(",", bootstrap.stream()
                    .map(a -> a.getHostString() + ":" + a.getPort()).toList()));
        }
        return out;
    }

    /** The engine session's peer settings, its resume data kept in {@code resumeDir}. */
    SessionConfig sessionConfig(Path resumeDir) {
        return SessionConfig.defaults().withBindHost(bindHost).withPort(port).withResumeDir(resumeDir)
                .withEncryption(encryption);
    }

    /** The DHT node's settings (when {@code dhtPort} is not -1), its routing table kept in {@code stateFile}. */
    DhtConfig dhtConfig(Path stateFile) throws UnknownHostException {
        return DhtConfig.defaults().withBindAddress(InetAddress.getByName(bindHost)).withPort(dhtPort)
                .withBootstrap(bootstrap).withStateFile(stateFile);
    }

    /** Loopback everywhere, ephemeral ports, no DHT: what tests and local demos want. */
    public static DaemonConfig loopback(Path stateDir, Path downloadDir) {
        return new DaemonConfig(stateDir, downloadDir, "127.0.0.1", 0, -1, "127.0.0.1", 0, Optional.empty(), List.of(),
                EncryptionPolicy.PREFER);
    }

    public DaemonConfig withDht(int udpPort, List<InetSocketAddress> nodes) {
        return new DaemonConfig(stateDir, downloadDir, bindHost, port, udpPort, httpHost, httpPort, watchDir, nodes,
                encryption);
    }

    public DaemonConfig withWatchDir(Path dir) {
        return new DaemonConfig(stateDir, downloadDir, bindHost, port, dhtPort, httpHost, httpPort, Optional.of(dir),
                bootstrap, encryption);
    }

    public DaemonConfig withEncryption(EncryptionPolicy policy) {
        return new DaemonConfig(stateDir, downloadDir, bindHost, port, dhtPort, httpHost, httpPort, watchDir, bootstrap,
                policy);
    }
}
