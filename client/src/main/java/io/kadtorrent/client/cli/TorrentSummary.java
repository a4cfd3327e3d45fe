package io.kadtorrent.client.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One torrent as the control API gives it (docs/api.md), reduced to what the CLI prints on one line. It is read
 * with Jackson's streaming parser: straight from the bytes of the list for {@code ls}, which so never starts
 * Jackson's databind, or from a tree ({@link #of(JsonNode)}) for the commands that print a torrent they changed.
 */
record TorrentSummary(String infoHash, String state, double progress, long sizeBytes, long downRate, long upRate,
                      int peers, OptionalLong etaSeconds, String name) {

    /** The torrents of {@code GET /api/v1/torrents}, in the daemon's order. */
    static List<TorrentSummary> readList(byte[] json) throws IOException {
        try (JsonParser p = DaemonClient.JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("the daemon's list of torrents is not a JSON array");
            }
            List<TorrentSummary> torrents = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                torrents.add(read(p));
            }
            return torrents;
        }
    }

    /** The torrent object {@code t} of a tree the API answered. */
    static TorrentSummary of(JsonNode t) throws IOException {
        try (JsonParser p = t.traverse()) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the daemon's torrent is not a JSON object");
            }
            return read(p);
        }
    }

    /** Reads one torrent object; the parser is on its START_OBJECT and is left on its END_OBJECT. */
    private static TorrentSummary read(JsonParser p) throws IOException {
        String infoHash = null;
        String state = null;
        String name = null;
        Double progress = null;
        Long sizeBytes = null;
        Long downRate = null;
        Long upRate = null;
        Integer peers = null;
        OptionalLong eta = OptionalLong.empty();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "info_hash" -> infoHash = p.getValueAsString();
                case "state" -> state = p.getValueAsString();
                case "name" -> name = p.getValueAsString();
                case "progress" -> progress = p.getValueAsDouble();
                case "size_bytes" -> sizeBytes = p.getValueAsLong();
                case "down_rate" -> downRate = p.getValueAsLong();
                case "up_rate" -> upRate = p.getValueAsLong();
                case "peers" -> peers = p.getValueAsInt();
                case "eta_seconds" -> eta = value.isNumeric() ? OptionalLong.of(p.getValueAsLong()) : OptionalLong.empty();
                default -> p.skipChildren();
            }
        }
        return new TorrentSummary(required(infoHash, "info_hash"), required(state, "state"),
                required(progress, "progress"), required(sizeBytes, "size_bytes"), required(downRate, "down_rate"),
                required(upRate, "up_rate"), required(peers, "peers"), eta, required(name, "name"));
    }

    private static <T> T required(T value, String field) throws IOException {
        if (value == null) {
            throw new IOException("the daemon's torrent has no " + field);
        }
        return value;
    }

    /**
     * {@code 74ae90b8  seeding      100.0%   976.6 KiB         0 B/s down         0 B/s up    0 peers  eta -  one.bin}:
     * the columns of {@code "%-8s  %-11s %6.1f%%  %10s  %10s/s down  %10s/s up  %3d peer%s  eta %s  %s"}, built
     * by hand because {@code String.format} starts the JDK's locale data (see {@link ByteSize#decimal}).
     */
    String line() {
        StringBuilder b = new StringBuilder(120);
        padRight(b, infoHash.substring(0, 8), 8).append("  ");
        padRight(b, state, 11).append(' ');
        padLeft(b, ByteSize.decimal(100 * progress, 1), 6).append("%  ");
        padLeft(b, ByteSize.format(sizeBytes), 10).append("  ");
        padLeft(b, ByteSize.format(downRate), 10).append("/s down  ");
        padLeft(b, ByteSize.format(upRate), 10).append("/s up  ");
        padLeft(b, String.valueOf(peers), 3).append(" peer").append(peers == 1 ? " " : "s");
        b.append("  eta ").append(etaSeconds.isPresent() ? ByteSize.duration(etaSeconds.getAsLong()) : "-");
        return b.append("  ").append(name).toString();
    }

    private static StringBuilder padLeft(StringBuilder b, String s, int width) {
        for (int i = s.length(); i < width; i++) {
            b.append(' ');
        }
        return b.append(s);
    }

    private static StringBuilder padRight(StringBuilder b, String s, int width) {
        b.append(s);
        for (int i = s.length(); i < width; i++) {
            b.append(' ');
        }
        return b;
    }
}
