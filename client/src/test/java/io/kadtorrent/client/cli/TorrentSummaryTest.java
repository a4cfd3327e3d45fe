package io.kadtorrent.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ls reads the daemon's list as a stream and prints what the tree-based code printed before. */
class TorrentSummaryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String LIST = """
            [{"info_hash":"74ae90b89d00bf6e6be76a93946a52e5a5b02fa3","name":"caf\\u00e9 \\"one\\".bin","size_bytes":1000000,
              "progress":0.99951,"state":"downloading","peers":1,"down_rate":123456,"up_rate":0,"ratio":0.0,
              "eta_seconds":3725,"files":[{"x":[1,2,{"y":null}]}],"error":null,"big":12345678901234567890,
              "tiny":1.0E-7,"exp":2e3,"neg":-0.0,"t":true},
             {"info_hash":"0123456789abcdef0123456789abcdef01234567","name":"b","size_bytes":5,"progress":1,
              "state":"seeding","peers":0,"down_rate":0,"up_rate":2048,"eta_seconds":null}]
            """;

    @Test
    void readsTheListAsTheTreeDid() throws Exception {
        byte[] json = LIST.getBytes(StandardCharsets.UTF_8);
        List<TorrentSummary> list = TorrentSummary.readList(json);
        assertEquals(2, list.size());
        int i = 0;
        for (JsonNode t : MAPPER.readTree(json)) {
            assertEquals(formerLine(t), list.get(i).line());
            assertEquals(list.get(i), TorrentSummary.of(t));
            i++;
        }
        assertEquals(List.of(), TorrentSummary.readList("[]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(java.io.IOException.class, () -> TorrentSummary.readList("{}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(java.io.IOException.class,
                () -> TorrentSummary.readList("[{\"name\":\"x\"}]".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void lsJsonIsWhatDatabindWrote() throws Exception {
        byte[] json = LIST.getBytes(StandardCharsets.UTF_8);
        assertEquals(MAPPER.writeValueAsString(MAPPER.readTree(json)), QueryCommands.Ls.compact(json));
        byte[] empty = "[ ]".getBytes(StandardCharsets.UTF_8);
        assertEquals(MAPPER.writeValueAsString(MAPPER.readTree(empty)), QueryCommands.Ls.compact(empty));
    }

    @Property(tries = 2000)
    void lineIsTheFormerFormatLine(@ForAll @StringLength(min = 8, max = 40) String hash, @ForAll String state,
                                   @ForAll @DoubleRange(min = -0.5, max = 1.5) double progress,
                                   @ForAll @LongRange(min = -1, max = Long.MAX_VALUE / 2) long size,
                                   @ForAll @LongRange(min = 0, max = 1L << 42) long down, @ForAll long up,
                                   @ForAll @IntRange(min = -5, max = 5000) int peers,
                                   @ForAll @LongRange(min = -1, max = 1L << 33) long eta, @ForAll boolean hasEta,
                                   @ForAll String name) throws Exception {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("info_hash", hash);
        t.put("name", name);
        t.put("size_bytes", size);
        t.put("progress", progress);
        t.put("state", state);
        t.put("peers", peers);
        t.put("down_rate", down);
        t.put("up_rate", up);
        t.put("eta_seconds", hasEta ? eta : null);
        byte[] json = MAPPER.writeValueAsBytes(List.of(t));
        JsonNode tree = MAPPER.readTree(json).get(0);
        assertEquals(formerLine(tree), TorrentSummary.readList(json).get(0).line());
    }

    /** The remote commands' torrent line as it was, on the tree, with String.format. */
    private static String formerLine(JsonNode t) {
        String eta = t.path("eta_seconds").isNumber() ? ByteSize.duration(t.get("eta_seconds").asLong()) : "-";
        return String.format(Locale.ROOT, "%-8s  %-11s %6.1f%%  %10s  %10s/s down  %10s/s up  %3d peer%s  eta %s  %s",
                t.get("info_hash").asText().substring(0, 8), t.get("state").asText(), 100 * t.get("progress").asDouble(),
                ByteSizeProperties.formerFormat(t.get("size_bytes").asLong()), ByteSizeProperties.formerFormat(t.get("down_rate").asLong()),
                ByteSizeProperties.formerFormat(t.get("up_rate").asLong()), t.get("peers").asInt(), t.get("peers").asInt() == 1 ? " " : "s",
                eta, t.get("name").asText());
    }
}
