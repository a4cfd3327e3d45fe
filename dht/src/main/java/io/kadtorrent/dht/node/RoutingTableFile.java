package io.kadtorrent.dht.node;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.krpc.CompactNodeInfo;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeDict;
import io.kadtorrent.torrent.bencode.BencodeFieldException;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.bencode.InvalidBencodeException;
import io.kadtorrent.torrent.fs.AtomicFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The saved state of a node, so a restarted node keeps its id and rejoins through the contacts it
 * knew: a bencoded dict {@code {id: <20 bytes>, nodes: <compact node info>, nodes6: <BEP 32 compact node info>}}, written to a temp
 * file and renamed into place so a crash never leaves half a file.
 */
public final class RoutingTableFile {

    /** What a state file holds. */
    public record State(NodeId id, List<Contact> contacts) {
        public State {
            contacts = List.copyOf(contacts);
        }
    }

    static final int MAX_FILE_BYTES = 1 << 20;
    private static final BencodeLimits LIMITS = BencodeLimits.of(MAX_FILE_BYTES, 4, 64);

    private RoutingTableFile() {
    }

    public static void write(Path file, State state) throws IOException {
        List<CompactNodeInfo> nodes = state.contacts().stream().map(Contact::toCompact).toList();
        byte[] bytes = BencodeCodec.encode(Map.of("id", state.id().bytes(),
                "nodes", CompactNodeInfo.encodeAll(nodes, AddressFamily.IPV4),
                "nodes6", CompactNodeInfo.encodeAll(nodes, AddressFamily.IPV6)));
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFile.write(file, bytes);
    }

    /** Reads a state file; throws {@link IOException} naming the problem if it is not one of ours. */
    public static State read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException(file + ": DHT state file larger than " + MAX_FILE_BYTES + " bytes");
        }
        try {
            BencodeDict dict = BencodeCodec.decodeDictionary(Files.readAllBytes(file), LIMITS).dict();
            byte[] id = dict.bytes("id");
            if (id.length != NodeId.LENGTH) {
                throw new BencodeFieldException("id", "must be 20 bytes");
            }
            List<Contact> contacts = new ArrayList<>();
            CompactNodeInfo.decodeAll(dict.bytes("nodes"), AddressFamily.IPV4).forEach(n -> contacts.add(Contact.of(n)));
            byte[] nodes6 = dict.bytesOrNull("nodes6"); // absent in files written before BEP 32
            if (nodes6 != null) {
                CompactNodeInfo.decodeAll(nodes6, AddressFamily.IPV6).forEach(n -> contacts.add(Contact.of(n)));
            }
            return new State(NodeId.of(id), contacts);
        } catch (InvalidBencodeException | BencodeFieldException | IllegalArgumentException e) {
            throw new IOException(file + ": not a DHT state file: " + e.getMessage(), e);
        }
    }
}
