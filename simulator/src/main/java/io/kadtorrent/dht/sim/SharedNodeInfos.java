package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.krpc.CompactNodeInfo;
import io.kadtorrent.dht.krpc.KnownNodes;

import java.util.ArrayList;
import java.util.List;

/**
 * Every simulated node's compact info, one instance each, shared by all decoders of the network: a node named in
 * a reply costs no new id or address objects (a million nodes decode billions of them). Only nodes at the address
 * the network gave them by index (127.x.y.z, see {@link SimulatedNetwork}) are found here; any other entry, or
 * one whose id or port differs from the node's, is decoded as usual.
 */
final class SharedNodeInfos implements KnownNodes {

    private final List<SimNode> nodes;
    private final List<CompactNodeInfo> infos = new ArrayList<>(); // by node index, made on first use

    /** {@code nodes}: the network's nodes in the order added (the n-th sits at 127.x.y.z with n in the low 24 bits). */
    SharedNodeInfos(List<SimNode> nodes) {
        this.nodes = nodes;
    }

    @Override
    public CompactNodeInfo find(byte[] in, int offset) {
        int at = offset + 20;
        if (in[at] != 127) {
            return null;
        }
        int ip = (in[at] << 24) | ((in[at + 1] & 0xff) << 16) | ((in[at + 2] & 0xff) << 8) | (in[at + 3] & 0xff);
        int port = ((in[at + 4] & 0xff) << 8) | (in[at + 5] & 0xff);
        int index = (ip & 0xffffff) - 1;
        if (index < 0 || index >= nodes.size()) {
            return null;
        }
        SimNode node = nodes.get(index);
        // Inet4Address.hashCode is its address as a number (SimulatedNetwork.nodeAt looks nodes up the same way).
        if (node.address().getAddress().hashCode() != ip || node.address().getPort() != port
                || !node.engine().ownId().isAt(in, offset)) {
            return null;
        }
        while (infos.size() <= index) {
            infos.add(null);
        }
        CompactNodeInfo info = infos.get(index);
        if (info == null) {
            info = new CompactNodeInfo(node.engine().ownId(), node.address());
            infos.set(index, info);
        }
        return info;
    }
}
