package io.kadtorrent.dht.node;

import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.engine.DhtEngine;
import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.items.DhtItem;
import io.kadtorrent.dht.items.ImmutableItem;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.node.NodeStacks.Stack;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * A running DHT node on real UDP sockets: the public API of the dht module and the composition
 * root that wires the sans-I/O {@link DhtEngine} to a {@link NettyUdpTransport}, the system clock
 * and one event-loop thread, where an {@link EngineDriver} feeds it every input and arms its timer.
 * A node bound to one IPv4 and one IPv6 address (or to the dual-stack {@code ::}) runs one engine per
 * family (BEP 32: two separate DHTs) with the same id on the same loop; lookups and announces then run in both and their results
 * are merged. Every method may be called from any thread: work hops onto the node's loop. Futures
 * complete on that loop, so keep their callbacks short. {@link NodeStacks} builds the engines and binds their
 * sockets; {@link SavedState} keeps the id and contacts across restarts.
 */
public final class DhtNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DhtNode.class);
    private static final SystemClock CLOCK = new SystemClock();

    static final long SAVE_EVERY_MINUTES = 10;
    static final int CALL_TIMEOUT_SECONDS = 10;

    private final DhtConfig config;
    private final EventLoop loop;
    private final List<Stack> stacks; // one per address family; the first runs BEP 44 calls
    private final List<NettyUdpTransport> sockets; // in bind order
    private final CompletableFuture<Integer> joined = new CompletableFuture<>();
    private volatile boolean closed;

    private DhtNode(DhtConfig config, EventLoop loop, NodeStacks wired) {
        this.config = config;
        this.loop = loop;
        this.stacks = wired.stacks();
        this.sockets = wired.sockets();
    }

    /**
     * Binds the UDP socket(s), restores state if configured, starts the event loop and bootstraps.
     * Each bind address serves the DHT of its family; the IPv6 wildcard {@code ::} alone serves both
     * (its socket is dual-stack: it hears and reaches IPv4 addresses too).
     */
    public static DhtNode start(DhtConfig config) throws IOException {
        Optional<RoutingTableFile.State> saved = SavedState.restore(config);
        SecureRandom seeds = new SecureRandom();
        NodeId id = SavedState.chooseId(saved, config, seeds);
        EventLoop loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()).next();
        DhtNode node = new DhtNode(config, loop, NodeStacks.bind(config, id, seeds, loop, CLOCK::nowMillis));
        loop.execute(() -> node.begin(saved));
        log.debug("dht node {} listening on udp {}", id.shortHex(), node.localAddresses());
        return node;
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

    /**
     * On the loop: periodic saving, and the first bootstrap of every engine from config and saved
     * contacts, each through the seeds of its family (which arms the timers).
     */
    private void begin(Optional<RoutingTableFile.State> saved) {
        if (config.stateFile().isPresent()) {
            loop.scheduleAtFixedRate(guarded("state save", this::save),
                    SAVE_EVERY_MINUTES, SAVE_EVERY_MINUTES, TimeUnit.MINUTES);
        }
        Set<InetSocketAddress> seeds = new LinkedHashSet<>(config.bootstrap());
        saved.ifPresent(s -> s.contacts().forEach(c -> seeds.add(c.address())));
        if (seeds.isEmpty()) {
            joined.complete(0);
            return;
        }
        bootstrapAll(List.copyOf(seeds)).whenComplete((size, error) -> {
            if (error != null) {
                joined.completeExceptionally(error);
            } else {
                joined.complete(size);
            }
        });
    }

    /** This node's 160-bit id (kept across restarts when a state file is configured; the same in both DHTs). */
    public NodeId id() {
        return stacks.get(0).engine().ownId();
    }

    /** The first bound UDP address. */
    public InetSocketAddress localAddress() {
        return sockets.get(0).localAddress();
    }

    /** Every bound UDP address, in the order of {@link DhtConfig#bindAddresses}. */
    public List<InetSocketAddress> localAddresses() {
        return sockets.stream().map(NettyUdpTransport::localAddress).toList();
    }

    /** Completes with the routing table size (both DHTs together) once the bootstrap started by {@link #start} is over. */
    public CompletableFuture<Integer> joined() {
        return joined;
    }

    /**
     * Joins through {@code seeds}, each in the DHT of its address family; completes with the routing
     * table size (both families together) after the self-lookups.
     */
    public CompletableFuture<Integer> bootstrap(List<InetSocketAddress> seeds) {
        List<InetSocketAddress> copy = List.copyOf(seeds);
        CompletableFuture<Integer> result = new CompletableFuture<>();
        try {
            loop.execute(() -> bootstrapAll(copy).whenComplete((size, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(size);
                }
            }));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("DHT node is closed"));
        }
        return result;
    }

    /** On the loop: bootstraps the engines that have seeds of their family; the sum of their table sizes. */
    private CompletableFuture<Integer> bootstrapAll(List<InetSocketAddress> seeds) {
        List<CompletableFuture<Integer>> each = new ArrayList<>();
        for (Stack s : stacks) {
            if (seeds.stream().anyMatch(a -> !a.isUnresolved() && AddressFamily.of(a.getAddress()) == s.engine().family())) {
                CompletableFuture<Integer> one = new CompletableFuture<>();
                onLoop(one, s, now -> s.engine().bootstrap(now, seeds, one::complete));
                each.add(one);
            }
        }
        return sum(each);
    }

    private static CompletableFuture<Integer> sum(List<CompletableFuture<Integer>> parts) {
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(v -> parts.stream().mapToInt(CompletableFuture::join).sum());
    }

    /**
     * Looks up peers for {@code infoHash} in every DHT this node is in; {@code onPeer} is called once
     * per new peer as found (on the node's thread, keep it short); completes with all peers found when
     * the lookups end.
     */
    public CompletableFuture<Set<InetSocketAddress>> getPeers(InfoHash infoHash, Consumer<InetSocketAddress> onPeer) {
        Set<InetSocketAddress> found = new LinkedHashSet<>(); // loop-confined, like the engines
        List<CompletableFuture<Void>> each = new ArrayList<>();
        for (Stack s : stacks) {
            CompletableFuture<Void> one = new CompletableFuture<>();
            onLoop(one, s, now -> s.engine().getPeers(now, infoHash, p -> {
                if (found.add(p)) {
                    onPeer.accept(p);
                }
            }, r -> one.complete(null)));
            each.add(one);
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)) // completes on the loop
                .thenApply(v -> Set.copyOf(found));
    }

    /**
     * Announces that this host serves {@code infoHash} on TCP {@code port}, in every DHT this node is
     * in; completes with how many nodes accepted (all families together).
     */
    public CompletableFuture<Integer> announce(InfoHash infoHash, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535");
        }
        List<CompletableFuture<Integer>> each = new ArrayList<>();
        for (Stack s : stacks) {
            CompletableFuture<Integer> one = new CompletableFuture<>();
            onLoop(one, s, now -> s.engine().announce(now, infoHash, port, false, one::complete));
            each.add(one);
        }
        return sum(each);
    }

    /**
     * Stores a BEP 44 item on the nodes closest to its target (in the first DHT); completes with how
     * many stored it. {@code cas} (mutable items) is the seq this put expects to replace, or empty.
     */
    public CompletableFuture<Integer> put(DhtItem item, OptionalLong cas) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Stack s = stacks.get(0);
        onLoop(result, s, now -> s.engine().put(now, item, cas, result::complete));
        return result;
    }

    /** Looks up the immutable item stored under {@code target}; the value is checked against the hash. */
    public CompletableFuture<Optional<ImmutableItem>> getImmutable(NodeId target) {
        CompletableFuture<Optional<ImmutableItem>> result = new CompletableFuture<>();
        Stack s = stacks.get(0);
        onLoop(result, s, now -> s.engine().getImmutable(now, target, result::complete));
        return result;
    }

    /** Looks up the newest validly signed mutable item of {@code key} under {@code salt} (empty for none). */
    public CompletableFuture<Optional<MutableItem>> getMutable(byte[] key, byte[] salt) {
        CompletableFuture<Optional<MutableItem>> result = new CompletableFuture<>();
        Stack s = stacks.get(0);
        onLoop(result, s, now -> s.engine().getMutable(now, key, salt, result::complete));
        return result;
    }

    /** BEP 51: asks {@code node} for a sample of its info_hashes; empty when it did not answer with one. */
    public CompletableFuture<Optional<DhtEngine.SampleReply>> sampleInfohashes(InetSocketAddress node, NodeId target) {
        CompletableFuture<Optional<DhtEngine.SampleReply>> result = new CompletableFuture<>();
        Optional<Stack> s = stackOf(AddressFamily.of(node.getAddress()));
        if (s.isEmpty()) {
            result.complete(Optional.empty()); // not a DHT we are in
            return result;
        }
        onLoop(result, s.get(), now -> s.get().engine().sampleInfohashes(now, node, target, result::complete));
        return result;
    }

    /** Up to {@code max} good contacts from the routing tables (for bootstrap lists), IPv4 and IPv6 alike. */
    public List<InetSocketAddress> contacts(int max) {
        return call(() -> stacks.stream()
                .flatMap(s -> s.engine().routingTable().goodContacts(max, CLOCK.nowMillis()).stream())
                .limit(max).map(Contact::address).toList());
    }

    /** Number of nodes in the routing tables (both DHTs together). */
    public int routingTableSize() {
        return call(() -> stacks.stream().mapToInt(s -> s.engine().routingTable().size()).sum());
    }

    /** Number of nodes in the routing table of {@code family}'s DHT (0 when this node is not in it). */
    public int routingTableSize(AddressFamily family) {
        return call(() -> stackOf(family).map(s -> s.engine().routingTable().size()).orElse(0));
    }

    private Optional<Stack> stackOf(AddressFamily family) {
        return stacks.stream().filter(s -> s.engine().family() == family).findFirst();
    }

    /** Runs {@code task} on the loop as one input of {@code stack}'s engine; a failure (or a closed node) fails {@code result}. */
    private <T> void onLoop(CompletableFuture<T> result, Stack stack, LongConsumer task) {
        try {
            loop.execute(() -> {
                try {
                    stack.driver().input(task);
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
        config.stateFile().ifPresent(file -> SavedState.save(file, id(),
                stacks.stream().map(s -> s.engine().routingTable()).toList(), CLOCK.nowMillis()));
    }

    /** Saves state if configured, closes the sockets and stops the event loop. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            call(() -> {
                stacks.forEach(s -> s.driver().stop());
                save();
                return null;
            });
        } catch (IllegalStateException e) {
            log.warn("DHT state not saved on close: {}", e.getMessage());
        }
        if (loop.inEventLoop()) { // closed from one of our own callbacks: must not block the loop
            sockets.forEach(NettyUdpTransport::closeLater);
            loop.parent().shutdownGracefully(0, 1, TimeUnit.SECONDS);
            return;
        }
        sockets.forEach(NettyUdpTransport::close);
        loop.parent().shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
