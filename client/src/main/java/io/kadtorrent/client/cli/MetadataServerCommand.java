package io.kadtorrent.client.cli;

import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.metadata.catalog.Catalog;
import io.kadtorrent.metadata.server.DhtBootstrapNodes;
import io.kadtorrent.metadata.server.MetadataServer;
import io.kadtorrent.metadata.server.MetadataServerConfig;
import io.kadtorrent.metadata.server.PublishPolicy;
import io.kadtorrent.metadata.signing.PublisherKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code kadtorrent metadata-server --dir CATALOG ...}: the composition root of the metadata
 * server. Starts the embedded DHT node, then serves the catalog with that node and its
 * contacts as every torrent's bootstrap {@code nodes}, until Ctrl-C (or interruption).
 */
@Command(name = "metadata-server", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
                "  kadtorrent metadata-server --dir catalog --allow-key alice.key.pub",
                "  kadtorrent metadata-server --dir catalog --open --port 6880 --dht-port 6881",
                "  kadtorrent metadata-server --dir catalog --follow alice.key.pub --bootstrap 192.0.2.1:6881"},
        description = {"Serve a catalog of signed .torrent files, with an embedded DHT node; --follow mirrors",
                "publishers' catalogs from the DHT."})
final class MetadataServerCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(MetadataServerCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "CATALOG", description = "Catalog folder (created if missing).")
    Path dir;

    @Option(names = "--port", paramLabel = "P", defaultValue = "6880", converter = PortConverter.class, description = "TCP port (default ${DEFAULT-VALUE}; 0 = any).")
    int port;

    /** 6880 like the TCP port (UDP and TCP ports do not collide): 6881 stays free for a seed on the same host. */
    @Option(names = "--dht-port", paramLabel = "U", defaultValue = "6880", converter = PortConverter.class,
            description = "DHT UDP port (default ${DEFAULT-VALUE}, leaving 6881 to seed; 0 = any).")
    int dhtPort;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "DHT node to join through (repeatable).")
    List<InetSocketAddress> bootstrap = new ArrayList<>();

    @Option(names = "--allow-key", paramLabel = "KEYFILE.pub", description = "Publisher key allowed to publish (repeatable).")
    List<Path> allowKeys = new ArrayList<>();

    @Option(names = "--open", description = "Accept publishes signed by any key (demos only).")
    boolean open;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    InetAddress bind;

    @Option(names = "--follow", paramLabel = "KEYFILE.pub",
            description = {"Mirror this publisher's catalog from the DHT (BEP 46) into the catalog (repeatable): its",
                    "torrents' metadata comes from peers and is published here if the publisher signed it."})
    List<Path> follow = new ArrayList<>();

    @Option(names = "--follow-every", paramLabel = "SECONDS", defaultValue = "900",
            description = "How often followed catalogs are read again (default ${DEFAULT-VALUE}).")
    long followEverySeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PublishPolicy policy = publishPolicy();
        Catalog catalog;
        try {
            catalog = Catalog.open(dir);
        } catch (IOException e) {
            throw CliErrors.aboutPath("cannot open the catalog", dir, e);
        }
        MetadataServerConfig config = MetadataServerConfig.defaults()
                .withBind(new InetSocketAddress(bind, port))
                .withPublishPolicy(policy);
        // Resources close in reverse order: server, DHT node, then the shutdown signal is released.
        boolean interrupted;
        try (ShutdownSignal shutdown = new ShutdownSignal();
             DhtNode node = startDht(bind);
             MetadataServer server = MetadataServer.start(config, catalog,
                     new DhtBootstrapNodes(node, DhtBootstrapNodes.DEFAULT_CONTACTS))) {
            out.println("listening: tcp " + Addresses.format(server.localAddress()));
            out.println("listening: udp " + Addresses.format(node.localAddress()));
            out.println("publishing: " + (policy.open() ? "open to any signed torrent"
                    : policy.allowedKeys().size() + " allowed key(s)"));
            out.println("catalog: " + catalog.size() + " torrents in " + dir);
            out.flush();
            joinDht(node);
            try (AutoCloseable mirror = follow(catalog, node, out)) {
                interrupted = shutdown.await();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt(); // only now: an interrupted close could not save the DHT state
        }
        return 0;
    }

    /** Starts mirroring the --follow keys' catalogs, joining the DHT through our own node and --bootstrap. */
    private AutoCloseable follow(Catalog catalog, DhtNode node, PrintWriter out) throws Exception {
        if (follow.isEmpty()) {
            return () -> { };
        }
        if (followEverySeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--follow-every must be at least 1 second");
        }
        List<PublisherKey> keys = new ArrayList<>();
        for (Path p : follow) {
            keys.add(PublisherKey.read(p));
        }
        List<InetSocketAddress> seeds = new ArrayList<>(bootstrap);
        seeds.add(node.localAddress().getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), node.localAddress().getPort())
                : node.localAddress());
        out.println("following: " + keys.size() + " publisher key(s), every " + followEverySeconds + " s");
        out.flush();
        return MirrorLoop.start(catalog, keys, bind.getHostAddress(),
                DhtConfig.defaults().withBindAddress(bind).withPort(0).withBootstrap(seeds),
                Duration.ofSeconds(followEverySeconds), out);
    }

    private PublishPolicy publishPolicy() throws IOException {
        if (open) {
            return PublishPolicy.openToAll();
        }
        Set<PublisherKey> keys = new HashSet<>();
        for (Path p : allowKeys) {
            keys.add(PublisherKey.read(p));
        }
        if (keys.isEmpty() && follow.isEmpty()) {
            spec.commandLine().getErr().println("warning: no --allow-key, --open or --follow: nobody can publish");
        }
        return PublishPolicy.allowing(keys);
    }

    private DhtNode startDht(InetAddress bindAddress) throws IOException {
        DhtConfig config = DhtConfig.defaults().withBindAddress(bindAddress).withPort(dhtPort);
        try {
            return DhtNode.start(config);
        } catch (UnsupportedOperationException e) {
            throw new IOException("embedded DHT node unavailable: " + e.getMessage(), e);
        }
    }

    private void joinDht(DhtNode node) {
        if (bootstrap.isEmpty()) {
            return; // the first node of a network: others bootstrap from us
        }
        node.bootstrap(bootstrap).whenComplete((size, e) -> {
            if (e != null) {
                log.warn("DHT bootstrap failed: {}", e.toString());
            } else {
                log.info("DHT joined: {} contacts", size);
            }
        });
    }

    /**
     * Waits for Ctrl-C or interruption. On Ctrl-C the JVM's shutdown hook holds the exit until
     * {@link ShutdownSignal#closed()} so the server and DHT node close cleanly.
     */
    private static final class ShutdownSignal implements AutoCloseable {
        private final CountDownLatch stop = new CountDownLatch(1);
        private final CountDownLatch closed = new CountDownLatch(1);
        private final Thread hook = new Thread(this::onShutdown, "metadata-server-shutdown");

        ShutdownSignal() {
            Runtime.getRuntime().addShutdownHook(hook);
        }

        /** Returns on Ctrl-C, or when the calling thread is interrupted (tests, embedding): true then. */
        boolean await() {
            try {
                stop.await();
                return false;
            } catch (InterruptedException e) {
                return true;
            }
        }

        private void onShutdown() {
            stop.countDown();
            try {
                closed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Called after everything else is closed. */
        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and waits for `closed`
            }
            closed.countDown();
        }
    }
}
