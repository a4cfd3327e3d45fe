package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.ext.ExtensionExchange;
import io.kadtorrent.engine.wire.PeerMessage;

import java.util.ArrayDeque;

/**
 * The swarm core's queue of actions for its runtime, with shorthands for the common ones. The core
 * and its collaborators only append; the runtime polls. Confined to the core's thread.
 */
final class Outbox {

    private final ArrayDeque<SwarmAction> actions = new ArrayDeque<>();

    void add(SwarmAction action) {
        actions.add(action);
    }

    void send(PeerState s, PeerMessage message) {
        actions.add(new SwarmAction.Send(s.link, message));
    }

    /** A BEP 10 message, as peer wire message 20. */
    void send(PeerState s, ExtensionExchange.Outgoing o) {
        send(s, new PeerMessage.Extended(o.extendedId(), o.payload()));
    }

    SwarmAction poll() {
        return actions.poll();
    }
}
