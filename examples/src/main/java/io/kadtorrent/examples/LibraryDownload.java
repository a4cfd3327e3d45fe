package io.kadtorrent.examples;

import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.swarm.SwarmStats;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * kadtorrent as a Java library: open a {@link Session} (one TCP listener and one DHT node), add a
 * torrent, feed it peers, and print progress until every piece is verified on disk.
 *
 * <pre>
 * java -cp client/target/kadtorrent.jar:examples/target/classes io.kadtorrent.examples.LibraryDownload \
 *     FILE.torrent OUT_DIR [--peer HOST:PORT]... [--bootstrap HOST:PORT]...
 * </pre>
 */
public final class LibraryDownload {

    private LibraryDownload() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LibraryDownload FILE.torrent OUT_DIR [--peer HOST:PORT]... [--bootstrap HOST:PORT]...");
            System.exit(2);
        }
        List<InetSocketAddress> peers = new ArrayList<>();
        List<InetSocketAddress> bootstrap = new ArrayList<>();
        for (int i = 2; i + 1 < args.length; i += 2) {
            (args[i].equals("--peer") ? peers : bootstrap).add(parse(args[i + 1]));
        }
        Metainfo torrent = MetainfoParser.read(Path.of(args[0]));
        download(torrent, Path.of(args[1]), peers, bootstrap, Duration.ofMinutes(10), System.out);
    }

    /**
     * Downloads {@code torrent} into {@code outDir/<name>} from {@code peers} and whoever the DHT finds
     * through {@code bootstrap}; prints a progress line a second; returns the final stats.
     */
    public static SwarmStats download(Metainfo torrent, Path outDir, List<InetSocketAddress> peers,
                                      List<InetSocketAddress> bootstrap, Duration limit, PrintStream out)
            throws Exception {
        SessionConfig client = SessionConfig.defaults().withBindHost("127.0.0.1").withPort(0);
        DhtConfig dht = DhtConfig.defaults().withBindAddress(InetAddress.getLoopbackAddress()).withPort(0)
                .withBootstrap(bootstrap);
        try (Session session = Session.start(client, dht, Duration.ofSeconds(30))) {
            Torrent swarm = session.add(torrent, outDir);
            peers.forEach(swarm::addPeer);
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                SwarmStats s = swarm.stats();
                out.printf(Locale.ROOT, "%s: %5.1f%% of %d bytes, %d peers%n", torrent.name(),
                        100.0 * s.verifiedBytes() / s.totalBytes(), s.totalBytes(), s.peers());
                try {
                    swarm.completion().get(1, TimeUnit.SECONDS);
                    out.println("complete: " + torrent.infoHash().hex());
                    return swarm.stats();
                } catch (TimeoutException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new TimeoutException("not complete within " + limit);
                    }
                }
            }
        }
    }

    private static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
