package io.kadtorrent.dht.node;

import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.engine.DhtEngine;
import io.kadtorrent.dht.engine.QueryPolicy;
import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.AddressFamily;
import io.netty.channel.EventLoop;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

/**
 * The engines of one {@link DhtNode}, one per address family it serves (BEP 32), each with its driver on the node's
 * event loop, wired to the bound UDP sockets they send and hear through.
 *
 * @param stacks  one per family; the first runs BEP 44 calls
 * @param sockets the bound sockets, in the order of {@link DhtConfig#bindAddresses}
 */
record NodeStacks(List<Stack> stacks, List<NettyUdpTransport> sockets) {

    /** One address family's engine and its driver. */
    record Stack(DhtEngine engine, EngineDriver driver) {
    }

    NodeStacks {
        stacks = List.copyOf(stacks);
        sockets = List.copyOf(sockets);
    }

    /**
     * Builds the engines of id {@code id} and binds their sockets on {@code loop}: each bind address serves the DHT
     * of its family; the IPv6 wildcard {@code ::} alone serves both (its socket is dual-stack: it hears and reaches
     * IPv4 addresses too). If a bind fails, the sockets bound so far are closed, the loop is shut down and the
     * failure is thrown.
     */
    static NodeStacks bind(DhtConfig config, NodeId id, SecureRandom seeds, EventLoop loop, LongSupplier clock)
            throws IOException {
        List<InetAddress> binds = config.bindAddresses();
        List<AddressFamily> families = new ArrayList<>(binds.stream().map(AddressFamily::of).toList());
        List<Integer> socketOf = new ArrayList<>(IntStream.range(0, binds.size()).boxed().toList());
        if (binds.size() == 1 && binds.get(0) instanceof Inet6Address && binds.get(0).isAnyLocalAddress()) {
            families.add(AddressFamily.IPV4);
            socketOf.add(0);
        }
        // The engines exist before the sockets; they only send from the loop, after the binds below.
        // Read on the loop (a reply to a query that arrives while the second socket is binding).
        AtomicReferenceArray<NettyUdpTransport> sockets = new AtomicReferenceArray<>(binds.size());
        List<DhtEngine> engines = new ArrayList<>();
        List<EngineDriver> drivers = new ArrayList<>();
        Map<AddressFamily, Integer> byFamily = new EnumMap<>(AddressFamily.class);
        for (int i = 0; i < families.size(); i++) {
            int socket = socketOf.get(i);
            DhtEngine engine = new DhtEngine(id, families.get(i), (to, bytes) -> {
                NettyUdpTransport t = sockets.get(socket);
                if (t != null) { // null only while binding: UDP may lose a datagram
                    t.send(to, bytes);
                }
            }, new SplittableRandom(seeds.nextLong()), QueryPolicy.ADAPTIVE, config.bucketCapacity(), clock.getAsLong());
            engine.askFastFirst(true); // a lookup's first round: the fastest of the K closest (5 % sooner to the K closest)
            if (config.readOnly()) {
                engine.enterReadOnlyState();
            } else if (config.bucketCapacity().wide()) {
                engine.fillBucketsFromReplies(true); // wide far buckets fill during ordinary lookups too
            }
            engines.add(engine);
            drivers.add(new EngineDriver(engine, clock,
                    (task, delayMillis) -> loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS)));
            byFamily.put(engine.family(), i);
        }
        if (engines.size() == 2) {
            engines.get(0).pairWith(engines.get(1));
        }
        Map<AddressFamily, Integer> route = Map.copyOf(byFamily);
        try {
            for (int i = 0; i < binds.size(); i++) {
                // A datagram goes to the engine of its sender's family, whichever socket it came in on.
                sockets.set(i, NettyUdpTransport.bind(loop, binds.get(i), config.port(), (from, bytes) -> {
                    Integer to = route.get(AddressFamily.of(from.getAddress()));
                    if (to != null) {
                        drivers.get(to).input(now -> engines.get(to).onDatagram(now, from, bytes));
                    }
                }));
            }
        } catch (IOException e) {
            for (int i = 0; i < sockets.length(); i++) {
                if (sockets.get(i) != null) {
                    sockets.get(i).close();
                }
            }
            loop.parent().shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        List<Stack> stacks = new ArrayList<>();
        for (int i = 0; i < engines.size(); i++) {
            stacks.add(new Stack(engines.get(i), drivers.get(i)));
        }
        List<NettyUdpTransport> bound = new ArrayList<>();
        for (int i = 0; i < sockets.length(); i++) {
            bound.add(sockets.get(i));
        }
        return new NodeStacks(stacks, bound);
    }
}
