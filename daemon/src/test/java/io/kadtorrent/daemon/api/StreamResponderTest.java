package io.kadtorrent.daemon.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StreamResponderTest {

    @Test
    void rangesReadAsRfc9110Says() {
        assertArrayEquals(new long[] {0, 999}, StreamResponder.parseRange("bytes=0-", 1000));
        assertArrayEquals(new long[] {100, 199}, StreamResponder.parseRange("bytes=100-199", 1000));
        assertArrayEquals(new long[] {900, 999}, StreamResponder.parseRange("bytes=900-5000", 1000), "clipped to the end");
        assertArrayEquals(new long[] {800, 999}, StreamResponder.parseRange("bytes=-200", 1000), "the last 200 bytes");
        assertArrayEquals(new long[] {0, 999}, StreamResponder.parseRange("bytes=-5000", 1000));
        assertNull(StreamResponder.parseRange(null, 1000));
        assertNull(StreamResponder.parseRange("bytes=0-1,5-6", 1000), "several ranges: the whole file");
        assertNull(StreamResponder.parseRange("items=0-1", 1000));
        assertNull(StreamResponder.parseRange("bytes=x-y", 1000));
        assertNull(StreamResponder.parseRange("bytes=5-2", 1000));
        assertThrows(StreamResponder.UnsatisfiableRange.class, () -> StreamResponder.parseRange("bytes=1000-", 1000));
        assertThrows(StreamResponder.UnsatisfiableRange.class, () -> StreamResponder.parseRange("bytes=-0", 1000));
    }

    @Test
    void typesComeFromTheExtension() {
        assertEquals("video/mp4", StreamResponder.contentType("Film.MP4"));
        assertEquals("audio/wav", StreamResponder.contentType("a.wav"));
        assertEquals("application/octet-stream", StreamResponder.contentType("noext"));
    }
}
