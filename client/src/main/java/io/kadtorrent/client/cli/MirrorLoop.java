package io.kadtorrent.client.cli;

import com.google.common.io.MoreFiles;
import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.metadata.catalog.Catalog;
import io.kadtorrent.metadata.feed.CatalogMirror;
import io.kadtorrent.metadata.signing.PublisherKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code metadata-server --follow}: a peer-engine session of its own and one thread that mirrors the
 * followed publishers' DHT catalogs into the server's catalog at start and then every {@code every},
 * printing one {@code mirrored: <key> <listed> listed, <added> added} line per publisher and pass.
 */
final class MirrorLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MirrorLoop.class);

    /** How long the mirror's DHT node may take to join before a pass goes on anyway. */
    private static final long JOIN_SECONDS = 30;

    private final Session session;
    private final Path scratch;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kadtorrent-mirror");
        t.setDaemon(true);
        return t;
    });

    private MirrorLoop(Session session, Path scratch) {
        this.session = session;
        this.scratch = scratch;
    }

    static MirrorLoop start(Catalog catalog, List<PublisherKey> followed, String bindHost, DhtConfig dht,
                            Duration every, PrintWriter out) throws IOException, InterruptedException {
        Path scratch = Files.createTempDirectory("kadtorrent-mirror-");
        Session session = Session.start(SessionConfig.defaults().withBindHost(bindHost).withPort(0), dht,
                DhtOptions.LOOKUP_INTERVAL);
        MirrorLoop loop = new MirrorLoop(session, scratch);
        CatalogMirror mirror = new CatalogMirror(catalog, new DhtCatalogs(session, scratch), followed);
        loop.thread.scheduleWithFixedDelay(() -> loop.pass(mirror, out), 0, every.toSeconds(), TimeUnit.SECONDS);
        return loop;
    }

    private void pass(CatalogMirror mirror, PrintWriter out) {
        try {
            session.dhtNode().orElseThrow().joined().get(JOIN_SECONDS, TimeUnit.SECONDS);
            for (CatalogMirror.Pass p : mirror.refreshAll()) {
                synchronized (out) {
                    out.println("mirrored: " + p.publisher().fingerprint() + " " + p.listed() + " listed, " + p.added()
                            + " added" + (p.refused() > 0 ? ", " + p.refused() + " refused" : "")
                            + (p.unavailable() > 0 ? ", " + p.unavailable() + " without peers" : ""));
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("mirroring pass failed: {}", e.toString()); // the next pass tries again
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session.close();
        try {
            MoreFiles.deleteRecursively(scratch);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", scratch, e.getMessage());
        }
    }
}
