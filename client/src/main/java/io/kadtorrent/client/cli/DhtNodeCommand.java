package io.kadtorrent.client.cli;

import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.node.DhtNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code kadtorrent dht-node}: a long-running DHT node (e.g. a bootstrap node) until Ctrl-C. */
@Command(name = "dht-node",
        footerHeading = "%nExamples:%n",
        footer = {
                "  kadtorrent dht-node --state dht.state",
                "  kadtorrent dht-node --port 6882 --bootstrap 192.0.2.1:6881",
                "  kadtorrent dht-node --bind 127.0.0.1 --bind ::1 --port 0   (in both the IPv4 and the IPv6 DHT)"},
        mixinStandardHelpOptions = true, description = "Run a BEP 5 DHT node until interrupted (Ctrl-C saves its state).")
final class DhtNodeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "U", converter = PortConverter.class, description = "UDP port (default ${DEFAULT-VALUE}, clear of seed's 6881 and the daemon's 6882 on one host; 0 = any free port).", defaultValue = "6884")
    int port;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "A node to join through (repeatable).")
    List<InetSocketAddress> bootstrap = new ArrayList<>();

    @Option(names = "--state", paramLabel = "FILE", description = "Routing table file, loaded at start and saved on exit.")
    Path state;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Local address (default 0.0.0.0; repeatable: one IPv4"
            + " and one IPv6 address run a node in both DHTs, BEP 32; :: alone serves both).")
    List<InetAddress> bind = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<InetAddress> binds = bind.isEmpty() ? List.of(InetAddress.getByName("0.0.0.0")) : bind;
        DhtConfig config = DhtConfig.defaults().withBindAddresses(binds).withPort(port).withBootstrap(bootstrap);
        if (state != null) {
            config = config.withStateFile(state);
        }
        DhtNode node = DhtNode.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "dht-node-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        node.localAddresses().forEach(local -> out.println("listening: udp " + Addresses.format(local)));
        out.flush();
        try {
            stopped.await(); // until Ctrl-C runs the hook (or, in tests, this thread is interrupted)
        } catch (InterruptedException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            node.close(); // before the flag is set again: an interrupted close could not save the state
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
