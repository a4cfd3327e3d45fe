package io.kadtorrent.dht.node;

import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.id.SecureNodeId;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.routing.RoutingTable;
import io.kadtorrent.torrent.fs.AtomicFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Carries a {@link DhtNode}'s id and contacts across restarts through its {@link RoutingTableFile}: a problem with
 * the file is logged, never fatal (the node then starts fresh, or keeps running unsaved).
 */
final class SavedState {

    private static final Logger log = LoggerFactory.getLogger(SavedState.class);

    static final int SAVED_CONTACTS = 64;

    private SavedState() {
    }

    /** The state saved in {@code config}'s state file, if there is one we can read; tidies a crashed save's temp file first. */
    static Optional<RoutingTableFile.State> restore(DhtConfig config) {
        config.stateFile().ifPresent(SavedState::deleteLeftovers);
        Optional<Path> file = config.stateFile().filter(Files::exists);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RoutingTableFile.read(file.get()));
        } catch (IOException e) {
            log.warn("ignoring DHT state: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** Deletes the temp file a save cut off by a crash left beside the state file. */
    private static void deleteLeftovers(Path stateFile) {
        try {
            AtomicFile.deleteLeftovers(stateFile);
        } catch (IOException e) {
            log.warn("cannot tidy the folder of {}: {}", stateFile, e.getMessage());
        }
    }

    /**
     * The saved id if it is still valid for the first bind address under BEP 42, else a fresh one:
     * derived from that address when it is a public IP, random when it is local or the wildcard (the
     * external IP is then unknown; BEP 42 exempts local addresses).
     */
    static NodeId chooseId(Optional<RoutingTableFile.State> saved, DhtConfig config, SecureRandom random) {
        InetAddress bind = config.bindAddress();
        return saved.map(RoutingTableFile.State::id).filter(id -> SecureNodeId.isValid(id, bind))
                .orElseGet(() -> SecureNodeId.isExempt(bind) ? NodeId.random(random) : SecureNodeId.derive(bind, random));
    }

    /** Writes {@code id} and, from each table, its good contacts (or its closest to us if none is good) to {@code file}. */
    static void save(Path file, NodeId id, List<RoutingTable> tables, long nowMillis) {
        List<Contact> contacts = new ArrayList<>();
        for (RoutingTable table : tables) {
            List<Contact> good = table.goodContacts(SAVED_CONTACTS, nowMillis);
            contacts.addAll(good.isEmpty() ? table.closest(id, SAVED_CONTACTS) : good);
        }
        try {
            RoutingTableFile.write(file, new RoutingTableFile.State(id, contacts));
        } catch (IOException e) {
            log.warn("could not save DHT state to {}: {}", file, e.getMessage());
        }
    }
}
