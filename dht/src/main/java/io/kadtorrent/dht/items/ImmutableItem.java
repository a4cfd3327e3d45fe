package io.kadtorrent.dht.items;

import io.kadtorrent.dht.id.NodeId;

/** A BEP 44 immutable item: stored under the SHA-1 of its bencoded value. */
public record ImmutableItem(ItemValue value) implements DhtItem {

    @Override
    public NodeId target() {
        return targetOf(value);
    }

    /** BEP 44: the target of an immutable item is the SHA-1 of {@code v} as bencoded. */
    public static NodeId targetOf(ItemValue value) {
        return NodeId.of(ItemValue.sha1(value.bytes()));
    }
}
