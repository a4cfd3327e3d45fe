package io.kadtorrent.metadata.server;

import io.kadtorrent.metadata.catalog.Catalog;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A metadata server in its own JVM, for tests that kill it with SIGKILL. Prints its port, then
 * serves until killed; exits by itself after 60 s so a crashed test never leaves it behind.
 */
public final class ServerProcessMain {

    private ServerProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        Catalog catalog = Catalog.open(Path.of(args[0]));
        MetadataServerConfig config = RunningServer.config().withPublishPolicy(PublishPolicy.openToAll());
        try (MetadataServer server = MetadataServer.start(config, catalog, BootstrapNodes.fixed(List.of()))) {
            System.out.println("listening: tcp 127.0.0.1:" + server.localAddress().getPort());
            System.out.flush();
            new CountDownLatch(1).await(60, TimeUnit.SECONDS);
        }
    }
}
