package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.krpc.CompactNodeInfo;
import io.kadtorrent.dht.krpc.KnownNodes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Every simulated node's compact info, one instance each, shared by all decoders of the network: a node named in
 * a reply costs no new id or address objects (a million nodes decode billions of them). Only nodes at the address
 * the network gave them by index (127.x.y.z, see {@link SimulatedNetwork}) are found here; any other entry, or
 * one whose id or port differs from the node's, is decoded as usual.
 *
 * <p>Once a node's info is made, its id and port are kept beside it in plain arrays, so that checking an entry
 * against it reads one place in memory rather than the node, its engine and its id.
 */
final class SharedNodeInfos implements KnownNodes {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final List<SimNode> nodes;
    private CompactNodeInfo[] infos = new CompactNodeInfo[1024]; // by node index, made on first use
    private long[] keys = new long[3 * 1024]; // beside infos: id bytes 0-7, 8-15, then bytes 16-19 and the port

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
        int index = (((in[at + 1] & 0xff) << 16) | ((in[at + 2] & 0xff) << 8) | (in[at + 3] & 0xff)) - 1;
        if (index < 0 || index >= nodes.size()) {
            return null;
        }
        long k0 = (long) LONGS.get(in, offset);
        long k1 = (long) LONGS.get(in, offset + 8);
        long k2 = ((long) (int) INTS.get(in, offset + 16) << 16) | ((in[at + 4] & 0xff) << 8) | (in[at + 5] & 0xff);
        if (index < infos.length && infos[index] != null) {
            boolean same = keys[3 * index] == k0 && keys[3 * index + 1] == k1 && keys[3 * index + 2] == k2;
            return same ? infos[index] : null;
        }
        SimNode node = nodes.get(index);
        int ip = (127 << 24) | (index + 1);
        // Inet4Address.hashCode is its address as a number (SimulatedNetwork.nodeAt looks nodes up the same way).
        if (node.address().getAddress().hashCode() != ip || node.address().getPort() != (int) (k2 & 0xffff)
                || !node.engine().ownId().isAt(in, offset)) {
            return null;
        }
        if (index >= infos.length) {
            int length = Math.max(index + 1, 2 * infos.length);
            infos = Arrays.copyOf(infos, length);
            keys = Arrays.copyOf(keys, 3 * length);
        }
        infos[index] = new CompactNodeInfo(node.engine().ownId(), node.address());
        keys[3 * index] = k0;
        keys[3 * index + 1] = k1;
        keys[3 * index + 2] = k2;
        return infos[index];
    }
}
