package io.kadtorrent.dht.items;

import io.kadtorrent.dht.id.NodeId;

/** A BEP 44 item: {@link ImmutableItem} (keyed by its hash) or {@link MutableItem} (keyed by its signer). */
public sealed interface DhtItem permits ImmutableItem, MutableItem {

    /** The key the item is stored under, in the node id space. */
    NodeId target();

    ItemValue value();
}
