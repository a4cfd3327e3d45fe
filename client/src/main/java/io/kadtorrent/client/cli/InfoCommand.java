package io.kadtorrent.client.cli;

import io.kadtorrent.torrent.magnet.MagnetLink;
import io.kadtorrent.torrent.metainfo.FileEntry;
import io.kadtorrent.torrent.metainfo.Metainfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code kadtorrent info}: shows what a .torrent holds, as text lines or one JSON object. */
@Command(name = "info",
        footerHeading = "%nExamples:%n",
        footer = {
                "  kadtorrent info photos.torrent",
                "  kadtorrent info photos.torrent --json"},
        mixinStandardHelpOptions = true, description = "Show the contents of a .torrent file.")
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.torrent")
    Path file;

    @Option(names = "--json", description = "Print one JSON object instead of text lines.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Metainfo torrent = TorrentFileReader.read(file);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(asJson(torrent)));
        } else {
            printText(torrent, out);
        }
        out.flush();
        return 0;
    }

    private static void printText(Metainfo t, PrintWriter out) {
        out.println("info_hash: " + t.infoHash().hex());
        out.println("magnet: " + magnet(t));
        out.println("name: " + t.name());
        out.println("size: " + t.totalBytes() + " bytes");
        out.println("pieces: " + t.pieceCount());
        out.println("piece length: " + t.pieceLengthBytes() + " bytes");
        if (t.isPrivate()) {
            out.println("private: yes (peers from its trackers only)");
        }
        out.println("files: " + t.files().size());
        for (FileEntry f : t.files()) {
            out.println("  " + f.lengthBytes() + " " + f.displayPath());
        }
        List<List<String>> tiers = t.trackerTiers();
        for (int i = 0; i < tiers.size(); i++) {
            for (String url : tiers.get(i)) {
                out.println("tracker: " + url + (tiers.size() > 1 ? " (tier " + (i + 1) + ")" : ""));
            }
        }
        t.nodes().forEach(n -> out.println("node: " + n));
        t.comment().ifPresent(c -> out.println("comment: " + c));
        t.createdBy().ifPresent(c -> out.println("created by: " + c));
        t.creationDateSeconds().ifPresent(d -> out.println("creation date: " + Instant.ofEpochSecond(d)));
    }

    private static Map<String, Object> asJson(Metainfo t) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("info_hash", t.infoHash().hex());
        o.put("magnet", magnet(t));
        o.put("name", t.name());
        o.put("total_bytes", t.totalBytes());
        o.put("piece_count", t.pieceCount());
        o.put("piece_length", t.pieceLengthBytes());
        o.put("single_file", t.isSingleFile());
        o.put("private", t.isPrivate());
        o.put("files", t.files().stream()
                .map(InfoCommand::fileJson)
                .toList());
        o.put("trackers", t.trackerTiers());
        o.put("nodes", t.nodes().stream().map(Object::toString).toList());
        o.put("comment", t.comment().orElse(null));
        o.put("created_by", t.createdBy().orElse(null));
        o.put("creation_date", t.creationDateSeconds().orElse(null));
        return o;
    }

    private static Map<String, Object> fileJson(FileEntry f) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("path", f.path());
        o.put("length", f.lengthBytes());
        return o;
    }

    private static String magnet(Metainfo t) {
        return MagnetLink.of(t).toUri();
    }
}
