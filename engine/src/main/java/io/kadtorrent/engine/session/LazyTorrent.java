package io.kadtorrent.engine.session;

import io.kadtorrent.engine.net.PeerConnection;
import io.kadtorrent.engine.net.PeerTorrent;
import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.storage.PieceStore;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * A complete torrent of a {@link Session} known from its resume data alone: it answers for its info_hash
 * (incoming handshakes, MSE, the DHT) without reading its metainfo, opening its files or building a swarm core,
 * and becomes a running {@link Torrent} on first need ({@link #materialise}), which the runtime decides: a peer
 * that connects for it, a peer source that offers it a peer, or the caller. Connections that arrive before then
 * are held, their events kept in order, and handed to the torrent once it runs; they are closed if its files
 * cannot be opened. An idle lazy torrent costs no timer and no thread.
 */
public final class LazyTorrent implements PeerTorrent {

    private static final Logger log = LoggerFactory.getLogger(LazyTorrent.class);
    /**
     * Messages one connection may have held while the torrent starts (an honest peer sends a handful: handshake
     * extensions, its pieces, interest); one that sends more is closed, so a peer flooding while the files are
     * opened or re-hashed costs at most this many messages of memory.
     */
    static final int MAX_HELD_PER_CONNECTION = 256;

    /** An event for the torrent to come, and what to do with it if none comes (a held block is released). */
    private record Held(Consumer<Torrent> deliver, Runnable drop) {
    }

    private final Session session;
    private final InfoHash infoHash;
    private final int pieceCount;
    private final Path parentDir;
    private final List<FilePriority> priorities;
    private final Callable<Metainfo> metainfo;
    private final Object lock = new Object();
    private final CompletableFuture<Torrent> materialised = new CompletableFuture<>();
    private boolean opening; // guarded by lock
    private List<Held> held = new ArrayList<>(); // guarded by lock; null once handed over or dropped
    private final Map<PeerConnection, Integer> heldPerConnection = new IdentityHashMap<>(); // guarded by lock
    private boolean forgotten; // guarded by lock: removed from the session
    private volatile Torrent torrent;

    LazyTorrent(Session session, InfoHash infoHash, int pieceCount, Path parentDir, List<FilePriority> priorities,
                Callable<Metainfo> metainfo) {
        this.session = session;
        this.infoHash = infoHash;
        this.pieceCount = pieceCount;
        this.parentDir = parentDir;
        this.priorities = List.copyOf(priorities);
        this.metainfo = metainfo;
    }

    @Override
    public InfoHash infoHash() {
        return infoHash;
    }

    public int pieceCount() {
        return pieceCount;
    }

    /** The running torrent once materialised. */
    public Optional<Torrent> torrent() {
        return Optional.ofNullable(torrent);
    }

    /**
     * Reads the metainfo, opens the files (trusting the resume data if the files' sizes and mtimes still match,
     * else re-hashing) and joins the swarm, off the caller's thread; the same future for every call. Fails with
     * {@link NoSuchFileException} when the torrent's data is gone (no empty files are created for it), with
     * {@link CancellationException} when the torrent was removed first; after a failure the session no longer
     * knows the info_hash.
     */
    public CompletableFuture<Torrent> materialise() {
        synchronized (lock) {
            if (!opening) {
                opening = true;
                log.debug("{}: materialising", infoHash.shortHex());
                CompletableFuture.runAsync(this::open, session.opener());
            }
            return materialised;
        }
    }

    /** Completes as {@link #materialise} does, without starting anything: for whoever wants to know when it runs. */
    public CompletableFuture<Torrent> started() {
        return materialised;
    }

    private void open() {
        Torrent running;
        try {
            running = start();
        } catch (Exception | Error e) {
            fail(e);
            return;
        }
        synchronized (lock) {
            if (held != null) { // null when it was removed meanwhile (the session stops the torrent)
                for (Held h : held) {
                    h.deliver.accept(running); // queued for the core in arrival order, before anything after
                }
            }
            held = null;
            heldPerConnection.clear();
            torrent = running;
        }
        materialised.complete(running);
    }

    private Torrent start() throws Exception {
        synchronized (lock) {
            if (forgotten) {
                throw new CancellationException(infoHash.hex() + " was removed");
            }
        }
        Metainfo m = metainfo.call();
        if (!m.infoHash().equals(infoHash)) {
            throw new IOException("its torrent file is for " + m.infoHash().hex() + ", not " + infoHash.hex());
        }
        Path data = parentDir.resolve(m.name());
        if (!Files.exists(data)) { // a complete torrent: never recreate its files empty and download them again
            throw new NoSuchFileException(data.toString(), null, "the data of a complete torrent is gone");
        }
        PieceStore store = session.openStore(m, parentDir, priorities);
        synchronized (lock) {
            if (forgotten) {
                store.close();
                throw new CancellationException(infoHash.hex() + " was removed while its files were opened");
            }
            return session.join(this, m, store, parentDir, priorities);
        }
    }

    private void fail(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (!(cause instanceof CancellationException)) {
            log.warn("{}: cannot start: {}", infoHash.shortHex(), cause.toString());
        }
        dropHeld();
        session.dropLazy(this);
        materialised.completeExceptionally(cause);
    }

    /** The session removed it: nothing starts from now on, and held connections close. */
    void forget() {
        synchronized (lock) {
            forgotten = true;
        }
        dropHeld();
    }

    private void dropHeld() {
        List<Held> dropped;
        synchronized (lock) {
            dropped = held;
            held = null;
            heldPerConnection.clear();
        }
        if (dropped != null) {
            dropped.forEach(h -> h.drop.run());
        }
    }

    // ---- from the connections, until the torrent runs ----

    @Override
    public int maxFrameBytes() {
        return Torrent.maxFrameBytes(pieceCount);
    }

    @Override
    public void connected(PeerConnection c) {
        deliver(t -> t.connected(c), () -> c.execute(() -> c.close("the torrent cannot start", false)), null);
    }

    @Override
    public void received(PeerConnection c, PeerMessage message) {
        deliver(t -> t.received(c, message), message::release, c);
    }

    @Override
    public void closed(PeerConnection c) {
        deliver(t -> t.closed(c), () -> { }, null);
    }

    /** {@code sender}: the connection a message came on, counted against its cap while held; null for other events. */
    private void deliver(Consumer<Torrent> event, Runnable drop, PeerConnection sender) {
        Torrent t = torrent;
        if (t == null) {
            synchronized (lock) {
                t = torrent;
                if (t == null) {
                    if (held == null) {
                        drop.run(); // it failed to start or was removed
                    } else if (sender != null && heldPerConnection.merge(sender, 1, Integer::sum) > MAX_HELD_PER_CONNECTION) {
                        drop.run();
                        sender.execute(() -> sender.close("more than " + MAX_HELD_PER_CONNECTION
                                + " messages before the torrent started", false));
                    } else {
                        held.add(new Held(event, drop));
                        materialise();
                    }
                    return;
                }
            }
        }
        event.accept(t);
    }
}
