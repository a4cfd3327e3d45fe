package io.kadtorrent.client.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kadtorrent.torrent.fs.AtomicFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code share --publish} published a torrent, so that {@code unshare} can take it back: one small JSON
 * file per torrent in the daemon's state folder ({@code DIR/published/HASH.json}), written atomically.
 */
final class Publications {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BYTES = 64 << 10;

    /** One publication: the server and the key file that signed it. */
    record Publication(@JsonProperty("server") String server, @JsonProperty("key") String key) {
    }

    private Publications() {
    }

    private static Path file(Path stateDir, String hash) {
        return stateDir.resolve("published").resolve(hash + ".json");
    }

    static List<Publication> of(Path stateDir, String hash) throws IOException {
        Path f = file(stateDir, hash);
        if (!Files.exists(f) || Files.size(f) > MAX_BYTES) {
            return List.of();
        }
        return List.of(JSON.readValue(f.toFile(), Publication[].class));
    }

    static void remember(Path stateDir, String hash, String server, Path key) throws IOException {
        List<Publication> all = new ArrayList<>(of(stateDir, hash));
        Publication p = new Publication(server, key.toString());
        if (!all.contains(p)) {
            all.add(p);
        }
        Files.createDirectories(file(stateDir, hash).getParent());
        AtomicFile.write(file(stateDir, hash), JSON.writeValueAsBytes(all));
    }

    static void forget(Path stateDir, String hash, Publication p) throws IOException {
        List<Publication> rest = new ArrayList<>(of(stateDir, hash));
        rest.remove(p);
        if (rest.isEmpty()) {
            Files.deleteIfExists(file(stateDir, hash));
        } else {
            AtomicFile.write(file(stateDir, hash), JSON.writeValueAsBytes(rest));
        }
    }
}
