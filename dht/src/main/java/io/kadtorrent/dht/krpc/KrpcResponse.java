package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.rpc.TransactionId;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * A reply ({@code y=r}). KRPC replies do not name their query, so one record carries what any of
 * the four may hold: {@code nodes} (find_node, get_peers), {@code values} and {@code token} (get_peers).
 */
public record KrpcResponse(TransactionId transactionId, NodeId sender, List<CompactNodeInfo> nodes,
                           List<InetSocketAddress> values, Optional<Token> token) implements KrpcMessage {

    public KrpcResponse {
        nodes = List.copyOf(nodes);
        values = List.copyOf(values);
    }

    /** A reply to ping or announce_peer: just the responder's id. */
    public static KrpcResponse ofId(TransactionId transactionId, NodeId sender) {
        return new KrpcResponse(transactionId, sender, List.of(), List.of(), Optional.empty());
    }
}
