package io.kadtorrent.client.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.IOException;
import java.util.List;

/**
 * The CLI's JSON output, written by Jackson: {@code info --json} as one compact object, {@code search --json}
 * as an array with one object per line. Values are plain maps (insertion order is field order), lists,
 * strings, numbers, booleans and null, so field names stay exactly as the commands spell them.
 */
final class Json {

    /** Built on first use: only the {@code --json} runs pay for Jackson's start-up. */
    private static final class Writers {
        static final ObjectMapper MAPPER = new ObjectMapper();
        static final ObjectWriter COMPACT = MAPPER.writer();
        static final ObjectWriter SPACED = MAPPER.writer(new SpacedPrinter());
    }

    private Json() {
    }

    /** One object or value, without any whitespace: {@code {"a":1,"b":[2]}}. */
    static String write(Object value) {
        return write(Writers.COMPACT, value);
    }

    /**
     * A JSON array with each element on its own indented line, a space after each colon and comma inside
     * an element: {@code [\n  {"a": 1, "b": 2},\n  ...\n]}, or {@code []} when empty.
     */
    static String writeLines(List<?> elements) {
        if (elements.isEmpty()) {
            return "[]";
        }
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < elements.size(); i++) {
            out.append(i == 0 ? "\n  " : ",\n  ").append(write(Writers.SPACED, elements.get(i)));
        }
        return out.append("\n]").toString();
    }

    private static String write(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("no JSON form for " + value, e);
        }
    }

    /** {@code {"a": 1, "b": 2}}: one line, readable, as {@code search --json} has always printed it. */
    private static final class SpacedPrinter extends MinimalPrettyPrinter {
        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }
    }
}
