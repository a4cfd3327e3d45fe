package io.kadtorrent.dht.node;

import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.engine.DhtEngine;
import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.id.SecureNodeId;
import io.kadtorrent.dht.items.DhtItem;
import io.kadtorrent.dht.items.ImmutableItem;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.torrent.fs.AtomicFile;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * A running DHT node on a real UDP socket: the public API of the dht module and the composition
 * root that wires the sans-I/O {@link DhtEngine} to a {@link NettyUdpTransport}, the system clock
 * and one event-loop thread, where an {@link EngineDriver} feeds it every input and arms its timer.
 * Every method may be called from any thread: work hops onto the node's loop. Futures complete on
 * that loop, so keep their callbacks short.
 */
public final class DhtNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DhtNode.class);
    private static final SystemClock CLOCK = new SystemClock();

    static final long SAVE_EVERY_MINUTES = 10;
    static final int SAVED_CONTACTS = 64;
    static final int CALL_TIMEOUT_SECONDS = 10;

    private final DhtConfig config;
    private final EventLoop loop;
    private final DhtEngine engine;
    private final EngineDriver driver;
    private final NettyUdpTransport transport;
    private final CompletableFuture<Integer> joined = new CompletableFuture<>();
    private volatile boolean closed;

    private DhtNode(DhtConfig config, EventLoop loop, DhtEngine engine, EngineDriver driver,
                    NettyUdpTransport transport) {
        this.config = config;
        this.loop = loop;
        this.engine = engine;
        this.driver = driver;
        this.transport = transport;
    }

    /** Binds the UDP socket, restores state if configured, starts the event loop and bootstraps. */
    public static DhtNode start(DhtConfig config) throws IOException {
        Optional<RoutingTableFile.State> saved = restore(config);
        SecureRandom seeds = new SecureRandom();
        NodeId id = chooseId(saved, config, seeds);
        // The engine exists before the socket; it only sends from the loop, after the bind below.
        NettyUdpTransport[] transport = new NettyUdpTransport[1];
        DhtEngine engine = new DhtEngine(id, (to, bytes) -> transport[0].send(to, bytes),
                new SplittableRandom(seeds.nextLong()), CLOCK.nowMillis());
        EventLoop loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()).next();
        EngineDriver driver = new EngineDriver(engine, CLOCK::nowMillis,
                (task, delayMillis) -> loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS));
        try {
            transport[0] = NettyUdpTransport.bind(loop, config.bindAddress(), config.port(),
                    (from, bytes) -> driver.input(now -> engine.onDatagram(now, from, bytes)));
        } catch (IOException e) {
            loop.parent().shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        DhtNode node = new DhtNode(config, loop, engine, driver, transport[0]);
        loop.execute(() -> node.begin(saved));
        log.debug("dht node {} listening on udp {}", id.shortHex(), node.localAddress());
        return node;
    }

    /**
     * The saved id if it is still valid for the bind address under BEP 42, else a fresh one: derived
     * from the bind address when that is a public IP, random when it is local or the wildcard (the
     * external IP is then unknown; BEP 42 exempts local addresses).
     */
    private static NodeId chooseId(Optional<RoutingTableFile.State> saved, DhtConfig config, SecureRandom random) {
        InetAddress bind = config.bindAddress();
        return saved.map(RoutingTableFile.State::id).filter(id -> SecureNodeId.isValid(id, bind))
                .orElseGet(() -> SecureNodeId.isExempt(bind) ? NodeId.random(random) : SecureNodeId.derive(bind, random));
    }

    /** A periodic task that survives a failure of one run: Netty cancels a fixed-rate task whose run throws. */
    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("dht {} failed; continuing", what, e);
            }
        };
    }

    /** On the loop: periodic saving, and the first bootstrap from config and saved contacts (which arms the timer). */
    private void begin(Optional<RoutingTableFile.State> saved) {
        if (config.stateFile().isPresent()) {
            loop.scheduleAtFixedRate(guarded("state save", this::save),
                    SAVE_EVERY_MINUTES, SAVE_EVERY_MINUTES, TimeUnit.MINUTES);
        }
        Set<InetSocketAddress> seeds = new LinkedHashSet<>(config.bootstrap());
        saved.ifPresent(s -> s.contacts().forEach(c -> seeds.add(c.address())));
        driver.input(now -> {
            if (seeds.isEmpty()) {
                joined.complete(0);
            } else {
                engine.bootstrap(now, List.copyOf(seeds), joined::complete);
            }
        });
    }

    private static Optional<RoutingTableFile.State> restore(DhtConfig config) {
        config.stateFile().ifPresent(DhtNode::deleteLeftovers);
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

    /** This node's 160-bit id (kept across restarts when a state file is configured). */
    public NodeId id() {
        return engine.ownId();
    }

    /** The bound UDP address. */
    public InetSocketAddress localAddress() {
        return transport.localAddress();
    }

    /** Completes with the routing table size once the bootstrap started by {@link #start} is over. */
    public CompletableFuture<Integer> joined() {
        return joined;
    }

    /** Joins through {@code seeds}; completes with the routing table size after a self-lookup. */
    public CompletableFuture<Integer> bootstrap(List<InetSocketAddress> seeds) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        onLoop(result, now -> engine.bootstrap(now, List.copyOf(seeds), result::complete));
        return result;
    }

    /**
     * Looks up peers for {@code infoHash}; {@code onPeer} is called once per new peer as found
     * (on the node's thread, keep it short); completes with all peers found when the lookup ends.
     */
    public CompletableFuture<Set<InetSocketAddress>> getPeers(InfoHash infoHash, Consumer<InetSocketAddress> onPeer) {
        CompletableFuture<Set<InetSocketAddress>> result = new CompletableFuture<>();
        onLoop(result, now -> engine.getPeers(now, infoHash, onPeer, r -> result.complete(r.peers())));
        return result;
    }

    /** Announces that this host serves {@code infoHash} on TCP {@code port}; completes with how many nodes accepted. */
    public CompletableFuture<Integer> announce(InfoHash infoHash, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535");
        }
        CompletableFuture<Integer> result = new CompletableFuture<>();
        onLoop(result, now -> engine.announce(now, infoHash, port, false, result::complete));
        return result;
    }

    /**
     * Stores a BEP 44 item on the nodes closest to its target; completes with how many stored it.
     * {@code cas} (mutable items) is the seq this put expects to replace, or empty.
     */
    public CompletableFuture<Integer> put(DhtItem item, OptionalLong cas) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        onLoop(result, now -> engine.put(now, item, cas, result::complete));
        return result;
    }

    /** Looks up the immutable item stored under {@code target}; the value is checked against the hash. */
    public CompletableFuture<Optional<ImmutableItem>> getImmutable(NodeId target) {
        CompletableFuture<Optional<ImmutableItem>> result = new CompletableFuture<>();
        onLoop(result, now -> engine.getImmutable(now, target, result::complete));
        return result;
    }

    /** Looks up the newest validly signed mutable item of {@code key} under {@code salt} (empty for none). */
    public CompletableFuture<Optional<MutableItem>> getMutable(byte[] key, byte[] salt) {
        CompletableFuture<Optional<MutableItem>> result = new CompletableFuture<>();
        onLoop(result, now -> engine.getMutable(now, key, salt, result::complete));
        return result;
    }

    /** BEP 51: asks {@code node} for a sample of its info_hashes; empty when it did not answer with one. */
    public CompletableFuture<Optional<DhtEngine.SampleReply>> sampleInfohashes(InetSocketAddress node, NodeId target) {
        CompletableFuture<Optional<DhtEngine.SampleReply>> result = new CompletableFuture<>();
        onLoop(result, now -> engine.sampleInfohashes(now, node, target, result::complete));
        return result;
    }

    /** Up to {@code max} good contacts from the routing table (for bootstrap lists). */
    public List<InetSocketAddress> contacts(int max) {
        return call(() -> engine.routingTable().goodContacts(max, CLOCK.nowMillis()).stream()
                .map(Contact::address).toList());
    }

    /** Number of nodes in the routing table. */
    public int routingTableSize() {
        return call(() -> engine.routingTable().size());
    }

    /** Runs {@code task} on the loop as one engine input; a failure (or a closed node) fails {@code result}. */
    private <T> void onLoop(CompletableFuture<T> result, LongConsumer task) {
        try {
            loop.execute(() -> {
                try {
                    driver.input(task);
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("DHT node is closed"));
        }
    }

    private <T> T call(Supplier<T> query) {
        if (loop.inEventLoop()) {
            return query.get();
        }
        try {
            return loop.submit(query::get).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            throw new IllegalStateException("DHT node did not answer: " + e, e);
        }
    }

    private void save() {
        config.stateFile().ifPresent(file -> {
            List<Contact> contacts = new ArrayList<>(engine.routingTable().goodContacts(SAVED_CONTACTS, CLOCK.nowMillis()));
            if (contacts.isEmpty()) {
                contacts.addAll(engine.routingTable().closest(engine.ownId(), SAVED_CONTACTS));
            }
            try {
                RoutingTableFile.write(file, new RoutingTableFile.State(engine.ownId(), contacts));
            } catch (IOException e) {
                log.warn("could not save DHT state to {}: {}", file, e.getMessage());
            }
        });
    }

    /** Saves state if configured, closes the socket and stops the event loop. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            call(() -> {
                driver.stop();
                save();
                return null;
            });
        } catch (IllegalStateException e) {
            log.warn("DHT state not saved on close: {}", e.getMessage());
        }
        if (loop.inEventLoop()) { // closed from one of our own callbacks: must not block the loop
            transport.closeLater();
            loop.parent().shutdownGracefully(0, 1, TimeUnit.SECONDS);
            return;
        }
        transport.close();
        loop.parent().shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
