package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.rpc.TransactionId;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * A reply ({@code y=r}). KRPC replies do not name their query, so one record carries what any of
 * them may hold: {@code nodes} (find_node, get_peers, get, sample_infohashes), {@code values}
 * (get_peers), {@code token} (get_peers, get), the item of a BEP 44 get and the sample of a BEP 51
 * sample_infohashes.
 */
public record KrpcResponse(TransactionId transactionId, NodeId sender, List<CompactNodeInfo> nodes,
                           List<InetSocketAddress> values, Optional<Token> token, Optional<ItemReply> item,
                           Optional<Samples> samples) implements KrpcMessage {

    public KrpcResponse {
        // Those two are unmodifiable already and hold no one else's array: kept as they are.
        nodes = nodes instanceof CompactNodeList || nodes instanceof DecodedNodes ? nodes : List.copyOf(nodes);
        values = List.copyOf(values);
    }

    /** A BEP 5 reply: no item, no sample. */
    public KrpcResponse(TransactionId transactionId, NodeId sender, List<CompactNodeInfo> nodes,
                        List<InetSocketAddress> values, Optional<Token> token) {
        this(transactionId, sender, nodes, values, token, Optional.empty(), Optional.empty());
    }

    /** A reply to ping or announce_peer: just the responder's id. */
    public static KrpcResponse ofId(TransactionId transactionId, NodeId sender) {
        return new KrpcResponse(transactionId, sender, List.of(), List.of(), Optional.empty());
    }
}
