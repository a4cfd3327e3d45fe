package io.kadtorrent.client.cli;

import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.torrent.metainfo.InfoHash;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** {@code kadtorrent dht ...}: one-shot DHT queries. */
@Command(name = "dht",
        footerHeading = "%nExamples:%n",
        footer = {
                "  kadtorrent dht get-peers <40 hex info_hash> --bootstrap 192.0.2.1:6881",
                "  kadtorrent dht put --value hello --bootstrap 192.0.2.1:6881",
                "  kadtorrent dht put --key alice.key --salt notes --value 'v2' --bootstrap 192.0.2.1:6881",
                "  kadtorrent dht get --public-key alice.key.pub --salt notes --bootstrap 192.0.2.1:6881"},
        mixinStandardHelpOptions = true, description = "One-shot DHT operations.",
        subcommands = {DhtCommand.GetPeers.class, DhtCommand.Announce.class, DhtPutCommand.class, DhtGetCommand.class})
final class DhtCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (get-peers, announce, put, get)");
    }

    /** Options every one-shot DHT command shares: how to join. */
    static final class Join {

        @Option(names = "--bootstrap", paramLabel = "HOST:PORT", required = true, converter = HostPortConverter.class,
                description = "A node to join through (repeatable).")
        List<InetSocketAddress> bootstrap;

        @Option(names = "--dht-port", paramLabel = "U", converter = PortConverter.class, description = "Local UDP port (default ${DEFAULT-VALUE}: any free port).", defaultValue = "0")
        int dhtPort;

        @Option(names = "--bind", paramLabel = "ADDR", description = "Local address (default ${DEFAULT-VALUE}).", defaultValue = "0.0.0.0")
        InetAddress bind;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up after this long (default ${DEFAULT-VALUE}).",
                defaultValue = "60")
        int timeoutSeconds;

        static InfoHash hash(CommandSpec command, String infoHash) {
            try {
                return InfoHash.parse(infoHash);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(command.commandLine(), e.getMessage());
            }
        }

        /**
         * Starts a node, waits for it to join, runs {@code work} and closes the node. The node is BEP 43
         * read-only: it is gone in seconds, so other nodes must not keep it in their tables.
         */
        <T> T withNode(Function<DhtNode, CompletableFuture<T>> work) throws Exception {
            try (DhtNode node = DhtNode.start(DhtConfig.defaults().withBindAddress(bind).withPort(dhtPort)
                    .withBootstrap(bootstrap).withReadOnly(true))) {
                if (node.joined().get(timeoutSeconds, TimeUnit.SECONDS) == 0) {
                    throw new IllegalStateException("no DHT node answered at " + bootstrap.stream()
                            .map(Addresses::format).toList());
                }
                return work.apply(node).get(timeoutSeconds, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("DHT lookup timed out after " + timeoutSeconds + " s", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e; // the work's own error, for one clear line
            }
        }
    }

    /** {@code kadtorrent dht get-peers INFOHASH --bootstrap HOST:PORT}: prints one {@code peer: host:port} per peer. */
    @Command(name = "get-peers", mixinStandardHelpOptions = true, description = "Join the DHT and print the peers of a torrent, one 'peer: host:port' per line.")
    static final class GetPeers implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "INFOHASH", description = "40 hex or 32 base32 characters.")
        String infoHash;

        @Mixin
        Join join;

        @Override
        public Integer call() throws Exception {
            InfoHash hash = Join.hash(spec, infoHash);
            PrintWriter out = spec.commandLine().getOut();
            join.withNode(node -> node.getPeers(hash, peer -> {
                synchronized (out) {
                    out.println("peer: " + Addresses.format(peer));
                    out.flush();
                }
            }));
            return 0;
        }
    }

    /** {@code kadtorrent dht announce INFOHASH --port P --bootstrap HOST:PORT}: prints {@code announced: N nodes}. */
    @Command(name = "announce", mixinStandardHelpOptions = true, description = "Join the DHT and announce that this host serves a torrent on TCP --port.")
    static final class Announce implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "INFOHASH", description = "40 hex or 32 base32 characters.")
        String infoHash;

        @Mixin
        Join join;

        @Option(names = "--port", required = true, description = "TCP port peers should connect to.")
        int port;

        @Override
        public Integer call() throws Exception {
            InfoHash hash = Join.hash(spec, infoHash);
            if (port < 1 || port > 65_535) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 1..65535");
            }
            int accepted = join.withNode(node -> node.announce(hash, port));
            if (accepted == 0) {
                throw new IllegalStateException("no DHT node accepted the announce");
            }
            spec.commandLine().getOut().println("announced: " + accepted + " nodes");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
