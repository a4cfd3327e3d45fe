package io.kadtorrent.client.cli;

import io.kadtorrent.client.ClientConfig;
import io.kadtorrent.client.swarm.Session;
import io.kadtorrent.client.swarm.SwarmStats;
import io.kadtorrent.client.swarm.TorrentSwarm;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code kadtorrent get FILE.torrent -o DIR --peer HOST:PORT...}: downloads into DIR/<name>, prints
 * {@code complete: ...} once every piece is verified on disk, then seeds for {@code --seed-time}.
 */
@Command(name = "get", description = "Download a torrent from peers, verify it, then keep seeding.")
final class GetCommand implements Callable<Integer> {

    /** How often an idle download retries the peers it was given. */
    private static final long RETRY_PEERS_NANOS = 5_000_000_000L;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.torrent", description = "The .torrent file.")
    Path torrent;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
            description = "Parent folder: files land in DIR/<name>.")
    Path output;

    @Option(names = "--peer", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "A peer to download from (repeatable).")
    List<InetSocketAddress> peers = new ArrayList<>();

    @Option(names = "--seed-time", paramLabel = "SECONDS", defaultValue = "-1",
            description = "Keep seeding this long after completion (0 = exit at once; default: until Ctrl-C).")
    long seedTimeSeconds;

    @Mixin
    ListenOptions listen = new ListenOptions();

    @Override
    public Integer call() throws Exception {
        Metainfo metainfo = MetainfoParser.read(torrent);
        if (peers.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no peers to download from: give --peer HOST:PORT");
        }
        PrintWriter out = spec.commandLine().getOut();
        Session session = Session.start(listen.applyTo(ClientConfig.defaults()));
        try (SessionLifetime lifetime = new SessionLifetime(session)) {
            out.println("listening: tcp " + Addresses.format(session.localAddress()));
            out.flush();
            long start = System.nanoTime();
            TorrentSwarm swarm = session.add(metainfo, output);
            download(swarm, metainfo);
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "complete: %s %d bytes in %.3f s%n", metainfo.infoHash().hex(),
                    metainfo.totalBytes(), seconds);
            out.flush();
            lifetime.awaitInterruptOr(seedTimeSeconds);
        }
        return 0;
    }

    private void download(TorrentSwarm swarm, Metainfo metainfo) throws Exception {
        peers.forEach(swarm::addPeer);
        long lastTry = System.nanoTime();
        try (ProgressReporter progress = new ProgressReporter(metainfo.name(), metainfo.totalBytes(),
                spec.commandLine().getErr())) {
            while (true) {
                try {
                    swarm.completion().get(1, TimeUnit.SECONDS);
                    progress.update(swarm.stats());
                    return;
                } catch (TimeoutException stillRunning) {
                    SwarmStats s = swarm.stats();
                    progress.update(s);
                    if (s.peers() == 0 && System.nanoTime() - lastTry > RETRY_PEERS_NANOS) {
                        peers.forEach(swarm::addPeer);
                        lastTry = System.nanoTime();
                    }
                } catch (ExecutionException e) {
                    throw new IOException("download failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
        }
    }
}
