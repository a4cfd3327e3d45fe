package io.kadtorrent.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.net.HostAndPort;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Summaries of older runs, and damaged ones, as a restart reads them. */
class TorrentSummaryTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aSummaryFromBeforeTrackersWereKeptDoesNotLetATrackerTorrentSleep() throws Exception {
        TorrentSummary old = json.readValue("{\"size_bytes\":5,\"piece_count\":1,\"trackers\":true}", TorrentSummary.class);
        assertFalse(old.knowsPeerSources());
        TorrentSummary none = json.readValue("{\"size_bytes\":5,\"piece_count\":1,\"trackers\":false}", TorrentSummary.class);
        assertFalse(none.knowsPeerSources(), "it may be private: not known");
        assertEquals(List.of(), none.trackerTiers());
        assertEquals(List.of(), none.nodes());
        TorrentSummary now = json.readValue("{\"size_bytes\":5,\"piece_count\":1,\"trackers\":false,\"announce\":[],"
                + "\"dht_nodes\":[],\"private\":false}", TorrentSummary.class);
        assertTrue(now.knowsPeerSources());
        assertTrue(now.usesDht());
    }

    @Test
    void damagedTrackersAndNodesAreLeftOutNotTrusted() throws Exception {
        TorrentSummary s = json.readValue("{\"size_bytes\":5,\"piece_count\":1,\"trackers\":true,"
                + "\"announce\":[[\"ftp://x/a\",\"not a url\"],[\"udp://127.0.0.1:7/\"]],"
                + "\"dht_nodes\":[\"nope\",\"[::1]:6881\",\"host\",\"127.0.0.1:99999\"],\"private\":true}",
                TorrentSummary.class);
        assertTrue(s.knowsPeerSources());
        assertFalse(s.usesDht(), "private");
        assertEquals(List.of(List.of(URI.create("udp://127.0.0.1:7/"))), s.trackerTiers());
        assertEquals(List.of(HostAndPort.fromString("[::1]:6881")), s.nodes());
    }

    @Test
    void aSavedSummaryReadsBackTheSame() throws Exception {
        TorrentSummary s = new TorrentSummary(5, 1, List.of(List.of("http://127.0.0.1:1/announce")),
                List.of("127.0.0.1:6881"), true);
        assertEquals(s, json.readValue(json.writeValueAsBytes(s), TorrentSummary.class));
    }
}
