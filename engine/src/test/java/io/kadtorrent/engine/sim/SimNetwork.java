package io.kadtorrent.engine.sim;

import io.kadtorrent.dht.sim.LinkModel;
import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.engine.wire.PeerMessage;
import io.netty.buffer.ByteBuf;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Simulated TCP between simulated peers, in virtual time: dialling (a round trip, or a timeout when
 * nobody listens), then frames through the sender's {@link Uplink}, a per-connection latency drawn
 * from the {@link LinkModel} (the DHT simulator's), and the receiver's download capacity, in order.
 * TCP loses no bytes, so the model's loss rate is the chance a frame needs a retransmission, which adds
 * {@link #RETRANSMIT_TIMEOUT_MILLIS} plus a round trip and holds back the frames after it. Only a
 * delivered frame is encoded, and decoded by the production decoder of the receiving end.
 */
final class SimNetwork implements Uplink.Departures {

    /** A dial to an address where nobody listens fails after this long (a lost SYN's give-up, shortened). */
    static final long CONNECT_TIMEOUT_MILLIS = 3_000;
    /** Linux's minimum RTO. */
    static final long RETRANSMIT_TIMEOUT_MILLIS = 200;
    static final int LISTEN_PORT = 6881;

    private final EventQueue events;
    private final Transport transport;
    private final PeerWire wire;
    private final LinkModel model;
    private final SplittableRandom random;
    private final Map<InetSocketAddress, SimPeer> listening = new HashMap<>();
    private int nextEphemeralPort = 49_152;

    SimNetwork(EventQueue events, Transport transport, PeerWire wire, LinkModel model, SplittableRandom random) {
        this.events = events;
        this.transport = transport;
        this.wire = wire;
        this.model = model;
        this.random = random;
    }

    static InetSocketAddress address(int index, int port) {
        byte[] ip = {10, (byte) (index >>> 16), (byte) (index >>> 8), (byte) index};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new peer's upload capacity of {@code bytesPerSecond} (0: unlimited), as the transport models it. */
    Uplink uplink(long bytesPerSecond) {
        return transport == Transport.BULK ? new BurstUplink(events, bytesPerSecond, this)
                : new RoundRobinUplink(events, bytesPerSecond, this);
    }

    void listen(SimPeer p) {
        listening.put(p.address, p);
    }

    void unlisten(SimPeer p) {
        listening.remove(p.address);
    }

    /** Dials {@code to} for {@code from}: a handshake goes out after one round trip, or the dial fails. */
    void connect(SimPeer from, InetSocketAddress to) {
        SimPeer target = listening.get(to);
        if (target == null || target == from) {
            events.at(events.now() + CONNECT_TIMEOUT_MILLIS, () -> from.connectFailed(to));
            return;
        }
        long latency = model.minLatencyMillis() + random.nextLong(model.maxLatencyMillis() - model.minLatencyMillis() + 1);
        SimLink a = new SimLink(from, to, true, latency);
        SimLink b = new SimLink(target, ephemeral(from), false, latency);
        a.remote = b;
        b.remote = a;
        from.links.add(a);
        target.links.add(b);
        events.at(events.now() + 2 * latency, () -> {
            if (a.open) {
                send(a, new Frame.HandshakeFrame(from.handshake()));
            }
        });
    }

    /** The address an incoming connection from {@code p} shows: its ip and an ephemeral port, as with real TCP. */
    private InetSocketAddress ephemeral(SimPeer p) {
        int port = nextEphemeralPort++;
        if (nextEphemeralPort > 65_535) {
            nextEphemeralPort = 49_152;
        }
        return new InetSocketAddress(p.address.getAddress(), port);
    }

    void send(SimLink from, Frame frame) {
        if (from.open) {
            from.owner.uplink.send(from, frame);
        }
    }

    @Override
    public void departed(SimLink from, Frame frame, double atMillis) {
        if (!from.open) {
            return;
        }
        if (frame instanceof Frame.BlockFrame b) {
            from.owner.blockDeparted(from, b);
        } else if (frame instanceof Frame.Train t) {
            for (Frame f : t.frames()) {
                if (f instanceof Frame.BlockFrame b && from.open) {
                    from.owner.blockDeparted(from, b);
                }
            }
        }
        carry(from, frame, atMillis);
    }

    /** Closes {@code end} from its own side: the other side sees the FIN after what was sent before it. */
    void close(SimLink end) {
        if (!end.open) {
            return;
        }
        end.shut();
        carry(end, new Frame.Fin(), events.now());
    }

    private void carry(SimLink from, Frame frame, double departedAt) {
        SimLink to = from.remote;
        double arrival = departedAt + from.latencyMillis;
        if (model.lossRate() > 0 && random.nextDouble() < model.lossRate()) {
            arrival += RETRANSMIT_TIMEOUT_MILLIS + 2 * from.latencyMillis;
        }
        arrival = Math.max(arrival, to.lastArrivalAt);
        to.lastArrivalAt = arrival;
        if (transport == Transport.BULK) {
            arriveInBulk(to, frame, (long) Math.ceil(arrival));
            return;
        }
        events.at((long) Math.ceil(arrival), () -> {
            double deliverAt = to.owner.downlink(events.now(), frame.sizeBytes());
            events.at((long) Math.ceil(deliverAt), () -> deliver(to, frame));
        });
    }

    /**
     * {@link Transport#BULK}: frames arriving on one end in the same millisecond share one event; once in,
     * they are delivered at once when the downlink is free and nothing on this end waits for it.
     */
    private void arriveInBulk(SimLink to, Frame frame, long atMillis) {
        if (to.arriving != null && to.arrivingAt == atMillis) {
            to.arriving.add(frame);
            return;
        }
        List<Frame> batch = new ArrayList<>(8);
        batch.add(frame);
        to.arriving = batch;
        to.arrivingAt = atMillis;
        events.at(atMillis, () -> {
            if (to.arriving == batch) {
                to.arriving = null;
            }
            int bytes = 0;
            for (Frame f : batch) {
                bytes += f.sizeBytes();
            }
            double deliverAt = to.owner.downlink(events.now(), bytes);
            if (to.deliveriesPending == 0 && deliverAt < events.now() + 1) {
                deliverAll(to, batch);
            } else {
                to.deliveriesPending++;
                events.at((long) Math.ceil(deliverAt), () -> {
                    to.deliveriesPending--;
                    deliverAll(to, batch);
                });
            }
        });
    }

    private void deliverAll(SimLink to, List<Frame> frames) {
        for (Frame f : frames) {
            deliver(to, f);
        }
    }

    private void deliver(SimLink to, Frame frame) {
        if (!to.open || !to.owner.alive) {
            return;
        }
        if (frame instanceof Frame.Fin) {
            to.shut();
            to.owner.remoteClosed(to);
        } else if (frame instanceof Frame.HandshakeFrame h) {
            handshake(to, wire.roundTrip(h.handshake()));
        } else if (frame instanceof Frame.Train t) {
            deliverTrain(to, t.frames());
        } else {
            countAttack(to, frame);
            deliverMessages(to, wire.encode(frame));
        }
    }

    /**
     * Counts what the receiving end got of a misbehaving peer's attack: bad or unasked-for blocks and
     * keep-alives, not the blocks it served as asked (a flooder also seeds): a flooded block that happens to
     * be one the receiver asked this peer for and still waits for is an answer, which its core rightly takes.
     */
    private void countAttack(SimLink to, Frame frame) {
        Behaviour from = to.remote.owner.spec().behaviour();
        if (from.honest() || from == Behaviour.FREE_RIDER) {
            return; // nothing to count: decided first, as honest peers send nearly every frame
        }
        boolean attack = frame instanceof Frame.BlockFrame b ? b.isAttack() && !answers(to, b)
                : frame instanceof Frame.MessageFrame m && m.message() instanceof PeerMessage.KeepAlive;
        if (attack) {
            to.owner.stats.attackBytesFrom.merge(to.remote.owner.index, (long) frame.sizeBytes(), Long::sum);
        }
    }

    /** {@code b} is a correct block the receiving end asked this connection for and has not had yet. */
    private static boolean answers(SimLink to, Frame.BlockFrame b) {
        return !b.corrupt() && b.label().equals(b.content()) && to.requestedAt.containsKey(b.label());
    }

    /**
     * A train's frames in order: blocks as piece messages over {@link SyntheticBlock}s, each run of other
     * messages encoded into one buffer and decoded by the receiving end's real decoder.
     */
    private void deliverTrain(SimLink to, List<Frame> frames) {
        int i = 0;
        while (i < frames.size() && to.open && to.owner.alive) {
            Frame f = frames.get(i);
            if (f instanceof Frame.BlockFrame b) {
                countAttack(to, b);
                BlockRequest label = b.label();
                to.owner.message(to, new PeerMessage.Piece(label.pieceIndex(), label.begin(),
                        new SyntheticBlock(b.content(), b.corrupt())));
                i++;
            } else if (f instanceof Frame.MessageFrame || f instanceof Frame.RequestsFrame) {
                int end = i;
                int bytes = 0;
                for (; end < frames.size() && (frames.get(end) instanceof Frame.MessageFrame
                        || frames.get(end) instanceof Frame.RequestsFrame); end++) {
                    bytes += frames.get(end).sizeBytes();
                    countAttack(to, frames.get(end));
                }
                deliverDecoded(to, wire.encode(frames.subList(i, end), bytes));
                i = end;
            } else {
                deliver(to, f);
                i++;
            }
        }
    }

    private void handshake(SimLink to, Handshake remote) {
        if (!remote.infoHash().equals(to.owner.core().infoHash())) {
            to.owner.closeLink(to, "handshake for another torrent");
            return;
        }
        if (transport == Transport.EXACT) {
            to.decoder = wire.newDecoder(); // BULK decodes each message with the codec itself (deliverTrain)
        }
        if (!to.outgoing) {
            send(to, new Frame.HandshakeFrame(to.owner.handshake())); // BEP 3: the receiver answers in kind
        }
        to.owner.connected(to, remote);
    }

    private void deliverMessages(SimLink to, ByteBuf bytes) {
        List<PeerMessage> messages = PeerWire.newList();
        RuntimeException error = null;
        try {
            PeerWire.decode(to.decoder, bytes, messages);
        } catch (RuntimeException e) {
            error = e; // the runtime closes the connection on a protocol error, after what came before it
        }
        deliverDecoded(to, messages, error);
    }

    /** {@link Transport#BULK}: the real codec without the Netty pipeline, for messages without blocks. */
    private void deliverDecoded(SimLink to, ByteBuf bytes) {
        List<PeerMessage> messages = PeerWire.newList();
        RuntimeException error = null;
        try {
            wire.decodeFrames(bytes, messages);
        } catch (RuntimeException e) {
            error = e;
        }
        deliverDecoded(to, messages, error);
    }

    private void deliverDecoded(SimLink to, List<PeerMessage> messages, RuntimeException error) {
        for (PeerMessage m : messages) {
            if (to.open) {
                to.owner.message(to, m);
            } else if (m instanceof PeerMessage.Piece p) {
                p.release();
            }
        }
        if (error != null && to.open) {
            to.owner.protocolError(to, error);
        }
    }
}
