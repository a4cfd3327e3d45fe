package io.kadtorrent.client.cli;

import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.torrent.metainfo.Metainfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code kadtorrent seed FILE.torrent --data DIR}: verifies the data under DIR, announces it on the
 * DHT (BEP 5) and serves it until Ctrl-C.
 */
@Command(name = "seed", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
                "  kadtorrent seed photos.torrent --data ~/shared --port 6881",
                "  kadtorrent seed photos.torrent --data ~/shared --peer 192.0.2.10:51413",
                "  kadtorrent seed photos.torrent --data ~/shared --bootstrap 192.0.2.1:6881"},
        description = "Verify the torrent's data under DIR and serve it to peers until Ctrl-C.")
final class SeedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.torrent", description = "The .torrent file.")
    Path torrent;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Parent folder: the data is DIR/<name> (file or folder).")
    Path data;

    @Mixin
    PeerOptions wire = PeerOptions.forSeed();

    @Mixin
    DhtOptions dht = new DhtOptions();

    @Override
    public Integer call() throws Exception {
        Metainfo metainfo = TorrentFileReader.read(torrent);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SeedData.check(metainfo, data, err); // before anything is created: a wrong --data fails here
        Session session = wire.startSession(dht);
        try (SessionLifetime lifetime = new SessionLifetime(session, err)) {
            // DESIGN: "listening:" once each socket is bound, before the (possibly long) check of the data
            out.println("info_hash: " + metainfo.infoHash().hex());
            PeerOptions.printListening(session, out);
            Torrent swarm = add(session, metainfo);
            swarm.addPeers(wire.peers, true);
            int have = swarm.store().orElseThrow().verifiedCount();
            if (have == 0 && metainfo.pieceCount() > 0) {
                throw new IOException("none of the " + metainfo.pieceCount() + " pieces of " + metainfo.name()
                        + " under " + data + " matches the torrent: is it the data this torrent was made from?");
            }
            if (have < metainfo.pieceCount()) {
                err.printf("warning: only %d of %d pieces of %s are present and valid under %s%n",
                        have, metainfo.pieceCount(), metainfo.name(), data);
                err.flush();
            }
            out.println("seeding: " + metainfo.name() + " (" + have + " of " + metainfo.pieceCount() + " pieces)");
            out.flush();
            // before the line that invites a Ctrl-C, so one that comes at once gets this farewell
            lifetime.onInterrupt(() -> "stopped seeding " + metainfo.name() + " (uploaded "
                    + ByteSize.format(swarm.stats().uploadedBytes()) + ")");
            err.println("serving " + metainfo.name() + " until Ctrl-C");
            err.flush();
            lifetime.awaitInterruptOr(-1);
        }
        return 0;
    }

    private Torrent add(Session session, Metainfo metainfo) throws IOException {
        try {
            return session.add(metainfo, data);
        } catch (FileSystemException e) {
            throw CliErrors.aboutPath("cannot open the data under", data, e);
        }
    }
}
