package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.ext.ExtensionHandshake;
import io.kadtorrent.engine.ext.PexMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Peer exchange (BEP 11, {@code ut_pex}) inside the swarm core: once a minute each peer that speaks it hears
 * which peers we connected to and dropped since our last message to it (their listen addresses, at most
 * {@link PexMessage#MAX_PEERS} each way); what a peer tells us goes to the address book as found addresses,
 * at most one message a {@link #MIN_RECEIVE_GAP_MILLIS} and {@link PexMessage#MAX_PEERS} addresses per peer.
 */
final class PeerExchange {

    private static final Logger log = LoggerFactory.getLogger(PeerExchange.class);

    static final long SEND_EVERY_MILLIS = 60_000;
    static final long FIRST_SEND_MILLIS = 5_000;
    /** BEP 11 asks for at most one message a minute; a little slack for timers. */
    static final long MIN_RECEIVE_GAP_MILLIS = 45_000;

    private static final class State {
        final Set<InetSocketAddress> sent = new HashSet<>();
        long nextSendAt;
        long lastReceivedAt = Long.MIN_VALUE / 2;

        State(long nextSendAt) {
            this.nextSendAt = nextSendAt;
        }
    }

    private final Outbox out;
    private final Map<PeerLink, State> states = new HashMap<>();
    private boolean off;

    PeerExchange(Outbox out) {
        this.out = out;
    }

    /** BEP 27, a private torrent: from now on no address is sent or taken. */
    void turnOff() {
        off = true;
        states.clear();
    }

    void peerConnected(long now, PeerState s) {
        if (!off) {
            states.put(s.link, new State(now + FIRST_SEND_MILLIS));
        }
    }

    void peerGone(PeerLink link) {
        states.remove(link);
    }

    /** The addresses {@code s} taught us; empty when its message came too soon after the last. */
    List<InetSocketAddress> received(long now, PeerState s, PexMessage m) {
        State st = states.get(s.link);
        if (st == null || now - st.lastReceivedAt < MIN_RECEIVE_GAP_MILLIS) {
            log.debug("ut_pex from {} ignored: {} ms after its last", s.address, now - (st == null ? now : st.lastReceivedAt));
            return List.of();
        }
        st.lastReceivedAt = now;
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetSocketAddress a : m.added()) {
            if (out.size() < PexMessage.MAX_PEERS && a.getPort() > 0 && !a.equals(s.address)) {
                out.add(a);
            }
        }
        log.debug("ut_pex from {}: {} added, {} dropped; {} to the address book", s.address, m.added().size(),
                m.dropped().size(), out.size());
        return out;
    }

    /** Sends the due messages; the earliest time another is due, or {@link Long#MAX_VALUE}. */
    long tick(long now, Map<PeerLink, PeerState> peers) {
        long next = Long.MAX_VALUE;
        List<InetSocketAddress> current = null;
        for (PeerState s : peers.values()) {
            State st = states.get(s.link);
            if (st == null || s.closing || !speaksPex(s)) {
                continue;
            }
            if (now < st.nextSendAt) {
                next = Math.min(next, st.nextSendAt);
                continue;
            }
            if (current == null) {
                current = listenAddresses(peers);
            }
            List<InetSocketAddress> added = new ArrayList<>();
            for (InetSocketAddress a : current) {
                if (added.size() < PexMessage.MAX_PEERS && !st.sent.contains(a) && !a.equals(listenAddress(s))) {
                    added.add(a);
                }
            }
            List<InetSocketAddress> dropped = new ArrayList<>();
            for (InetSocketAddress a : st.sent) {
                if (dropped.size() < PexMessage.MAX_PEERS && !current.contains(a)) {
                    dropped.add(a);
                }
            }
            st.nextSendAt = now + SEND_EVERY_MILLIS;
            next = Math.min(next, st.nextSendAt);
            if (added.isEmpty() && dropped.isEmpty()) {
                continue;
            }
            st.sent.addAll(added);
            dropped.forEach(st.sent::remove);
            log.debug("ut_pex to {}: added {}, dropped {}", s.address, added, dropped);
            s.extensions.pex(new PexMessage(added, dropped)).ifPresent(o -> out.send(s, o));
        }
        return next;
    }

    private static boolean speaksPex(PeerState s) {
        return s.extensions != null && s.extensions.remote().map(h -> h.idOf(ExtensionHandshake.UT_PEX).isPresent())
                .orElse(false);
    }

    private static List<InetSocketAddress> listenAddresses(Map<PeerLink, PeerState> peers) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (PeerState s : peers.values()) {
            InetSocketAddress a = s.closing ? null : listenAddress(s);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    /** Where a peer accepts connections: the address we dialled, or the port its BEP 10 handshake told us. */
    static InetSocketAddress listenAddress(PeerState s) {
        if (s.outgoing) {
            return s.address;
        }
        if (s.extensions == null) {
            return null;
        }
        return s.extensions.remote().flatMap(h -> h.listenPort().isPresent()
                ? java.util.Optional.of(new InetSocketAddress(s.address.getAddress(), h.listenPort().getAsInt()))
                : java.util.Optional.empty()).orElse(null);
    }
}
