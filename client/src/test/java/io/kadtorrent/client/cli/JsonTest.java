package io.kadtorrent.client.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonTest {

    @Test
    void compactObjectKeepsFieldOrderAndEscapesStrings() throws Exception {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", "quote\" back\\ tab\t nl\n bell\u0007 é");
        o.put("size_bytes", 5_000_000_000L);
        o.put("single_file", true);
        o.put("comment", null);
        o.put("path", List.of("a", "b"));
        String json = Json.write(o);
        assertEquals("{\"name\":\"quote\\\" back\\\\ tab\\t nl\\n bell\\u0007 é\",\"size_bytes\":5000000000,"
                + "\"single_file\":true,\"comment\":null,\"path\":[\"a\",\"b\"]}", json);
        assertEquals(o, new ObjectMapper().readValue(json, LinkedHashMap.class)); // round trip: it is real JSON
    }

    @Test
    void linesLayoutIsTheSearchCommandsLayout() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("info_hash", "00");
        a.put("name", "x\"y");
        a.put("length", 1);
        Map<String, Object> b = Map.of("files", 2);
        assertEquals("[\n  {\"info_hash\": \"00\", \"name\": \"x\\\"y\", \"length\": 1},\n  {\"files\": 2}\n]",
                Json.writeLines(List.of(a, b)));
        assertEquals("[]", Json.writeLines(List.of()));
    }
}
