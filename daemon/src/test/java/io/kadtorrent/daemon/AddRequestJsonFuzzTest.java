package io.kadtorrent.daemon;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import io.kadtorrent.daemon.api.Json;
import io.kadtorrent.torrent.magnet.MagnetLink;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the JSON body of {@code POST /api/v1/torrents}: the daemon's Jackson
 * configuration reading an {@link Daemon.AddRequest}, then {@link Admission} turning it into what the daemon
 * remembers. Properties: reading throws only Jackson's {@link IOException}s, and what is read survives
 * writing and reading again; admission throws only {@link IllegalArgumentException} (the API's 400), and an
 * admitted torrent has a 40-hex info_hash, an absolute, normalised save folder and at most the peers it was
 * given. Requests naming a folder to share or a metadata server, and peers given by name, are read but not
 * admitted here: they would hash the machine's files, connect out or send DNS queries.
 * Corpus: {@code AddRequestJsonFuzzTestInputs/read} (JSON text).
 */
class AddRequestJsonFuzzTest {

    private static final ObjectMapper JSON = Json.mapper();
    private static final Path DOWNLOADS = Path.of("/srv/downloads");

    @FuzzTest
    void read(byte[] body) throws IOException {
        Daemon.AddRequest request;
        try {
            request = JSON.readValue(body, Daemon.AddRequest.class);
        } catch (IOException rejected) {
            return;
        }
        if (request == null) {
            return; // the JSON literal null; the API answers "a JSON body is needed"-like 400s for it
        }
        Daemon.AddRequest again = JSON.readValue(JSON.writeValueAsBytes(request), Daemon.AddRequest.class);
        assertTrue(same(request, again), () -> request + " became " + again);
        if (request.share() != null || request.name() != null || !literalPeersOnly(request)) {
            return;
        }
        Admission admitted;
        try {
            admitted = Admission.of(request, DOWNLOADS);
        } catch (IllegalArgumentException refused) {
            return;
        }
        TorrentEntry e = admitted.entry();
        assertEquals(e.infoHash(), InfoHash.parse(e.infoHash()).hex());
        Path saveDir = Path.of(e.saveDir());
        assertTrue(saveDir.isAbsolute() && saveDir.equals(saveDir.normalize()), e.saveDir());
        int magnetPeers = request.magnet() == null ? 0 : MagnetLink.parse(request.magnet()).peers().size();
        assertTrue(e.peers().size() <= request.peers().size() + magnetPeers);
    }

    /** True when every peer admission would resolve, from {@code peers} or a magnet's {@code x.pe}, is an IP literal. */
    private static boolean literalPeersOnly(Daemon.AddRequest r) {
        List<String> hosts = new ArrayList<>();
        for (String peer : r.peers()) {
            try {
                hosts.add(HostAndPort.fromString(peer).getHost());
            } catch (IllegalArgumentException unparsable) {
                return hosts.stream().allMatch(InetAddresses::isInetAddress); // admission stops at this one
            }
        }
        if (r.magnet() != null) {
            try {
                MagnetLink.parse(r.magnet()).peers().forEach(p -> hosts.add(p.getHost()));
            } catch (IllegalArgumentException refused) {
                // admission refuses the magnet before it resolves any of its peers
            }
        }
        return hosts.stream().allMatch(InetAddresses::isInetAddress);
    }

    private static boolean same(Daemon.AddRequest a, Daemon.AddRequest b) {
        return Arrays.equals(a.torrent(), b.torrent()) && Objects.equals(a.magnet(), b.magnet())
                && Objects.equals(a.infoHash(), b.infoHash()) && Objects.equals(a.name(), b.name())
                && Objects.equals(a.server(), b.server()) && Objects.equals(a.share(), b.share())
                && Objects.equals(a.saveDir(), b.saveDir()) && a.paused() == b.paused() && a.peers().equals(b.peers());
    }
}
