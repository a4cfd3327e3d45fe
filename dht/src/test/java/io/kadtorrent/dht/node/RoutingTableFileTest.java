package io.kadtorrent.dht.node;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.routing.Contact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RoutingTableFileTest {

    @TempDir
    Path dir;

    @Test
    void writesAtomicallyAndReadsBack() throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        RoutingTableFile.State state = new RoutingTableFile.State(NodeId.random(random), List.of(
                new Contact(NodeId.random(random), new InetSocketAddress("127.0.0.1", 7001)),
                new Contact(NodeId.random(random), new InetSocketAddress("127.0.0.2", 7002))));
        Path file = dir.resolve("dht.state");
        RoutingTableFile.write(file, state);
        RoutingTableFile.write(file, state); // replaces in place
        assertEquals(state, RoutingTableFile.read(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }

    @Test
    void rejectsFilesThatAreNotState() throws IOException {
        Path file = dir.resolve("junk");
        Files.writeString(file, "d2:id3:abce");
        assertThrows(IOException.class, () -> RoutingTableFile.read(file));
    }
}
