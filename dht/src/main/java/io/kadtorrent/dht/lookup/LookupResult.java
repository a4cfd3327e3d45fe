package io.kadtorrent.dht.lookup;

import io.kadtorrent.dht.krpc.Token;
import io.kadtorrent.dht.routing.Contact;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of one iterative lookup.
 *
 * @param closest      up to K nodes that answered, closest to the target first
 * @param tokens       get_peers write tokens of those that gave one (for announce_peer)
 * @param peers        peers collected from get_peers {@code values}
 * @param hops         query rounds to reach the closest node: 1 when a seed was the closest
 * @param queriesSent  queries this lookup sent, retries included
 */
public record LookupResult(List<Contact> closest, Map<Contact, Token> tokens, Set<InetSocketAddress> peers,
                           int hops, int queriesSent) {

    public LookupResult {
        closest = List.copyOf(closest);
        // Insertion-ordered copies: iteration order must not depend on the JVM's Set.of salt,
        // or a simulation would not replay the same from one run to the next.
        tokens = Collections.unmodifiableMap(new LinkedHashMap<>(tokens));
        peers = Collections.unmodifiableSet(new LinkedHashSet<>(peers));
    }
}
