package io.kadtorrent.client.cli;

import io.kadtorrent.engine.tracker.ScrapeResult;
import io.kadtorrent.engine.tracker.TrackerClient;
import io.kadtorrent.torrent.magnet.MagnetLink;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code kadtorrent scrape FILE.torrent|MAGNET}: asks each tracker the torrent names how many seeders and
 * leechers its swarm has (BEP 48 over HTTP, BEP 15 over UDP), one stable line per tracker.
 */
@Command(name = "scrape", mixinStandardHelpOptions = true,
        description = {"Ask the torrent's trackers how many seeders and leechers its swarm has (scrape).",
                "Prints one line per tracker: 'tracker: URL seeders N leechers N completed N' (-1: not said)."})
final class ScrapeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.torrent|MAGNET", description = "A .torrent file or a magnet link with tr=.")
    String source;

    @Override
    public Integer call() throws Exception {
        InfoHash hash;
        Set<String> trackers = new LinkedHashSet<>();
        if (MagnetLink.looksLikeMagnet(source)) {
            MagnetLink magnet;
            try {
                magnet = MagnetLink.parse(source);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "bad magnet link: " + e.getMessage());
            }
            hash = magnet.infoHash();
            trackers.addAll(magnet.trackers());
        } else {
            Metainfo m = TorrentFileReader.read(Path.of(source));
            hash = m.infoHash();
            m.announce().ifPresent(trackers::add);
            m.announceList().forEach(trackers::addAll);
        }
        if (trackers.isEmpty()) {
            throw new ParameterException(spec.commandLine(), source + " names no tracker to scrape");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrackerClient client = new TrackerClient();
        int answered = 0;
        for (String url : trackers) {
            try {
                ScrapeResult r = client.scrape(URI.create(url), List.of(hash)).get(hash);
                if (r == null) {
                    err.println("tracker: " + url + ": does not know " + hash.hex());
                    continue;
                }
                out.printf("tracker: %s seeders %d leechers %d completed %d%n", url, r.seeders(), r.leechers(),
                        r.completed());
                answered++;
            } catch (IOException | IllegalArgumentException e) {
                err.println("tracker: " + url + ": " + e.getMessage());
            }
        }
        out.flush();
        err.flush();
        return answered > 0 ? 0 : 1;
    }
}
