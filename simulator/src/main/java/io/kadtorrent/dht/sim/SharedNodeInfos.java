package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.krpc.CompactNodeInfo;
import io.kadtorrent.dht.krpc.KnownNodes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Every simulated node's compact info, one instance each, shared by all decoders of the network: a node named in
 * a reply costs no new id or address objects (a million nodes decode billions of them). Only nodes at the address
 * the network gave them by index (127.x.y.z, see {@link SimulatedNetwork}) are found here; any other entry, or
 * one whose id or port differs from the node's, is decoded as usual.
 *
 * <p>Each node's info, and its id and port in plain arrays beside it (checking an entry reads one place in memory
 * rather than the node, its engine and its id), are made when the node is added, between windows of events: while
 * shards run on their threads this is only read, never grown.
 */
final class SharedNodeInfos implements KnownNodes {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private CompactNodeInfo[] infos = new CompactNodeInfo[1024]; // by node index; null: not at its index's address
    private long[] keys = new long[3 * 1024]; // beside infos: id bytes 0-7, 8-15, then bytes 16-19 and the port
    private int count;

    /** {@code nodes}: the network's nodes in the order added (the n-th sits at 127.x.y.z with n in the low 24 bits). */
    SharedNodeInfos(List<SimNode> nodes) {
        nodes.forEach(this::added);
    }

    /** Records the node added last (its index is the number added before it). */
    void added(SimNode node) {
        int index = count++;
        if (index >= infos.length) {
            infos = Arrays.copyOf(infos, 2 * infos.length);
            keys = Arrays.copyOf(keys, 3 * infos.length);
        }
        // Inet4Address.hashCode is its address as a number (SimulatedNetwork.nodeAt looks nodes up the same way).
        if (!(node.address().getAddress() instanceof Inet4Address ip) || ip.hashCode() != ((127 << 24) | (index + 1))) {
            return;
        }
        byte[] id = node.engine().ownId().bytes();
        infos[index] = new CompactNodeInfo(node.engine().ownId(), node.address());
        keys[3 * index] = (long) LONGS.get(id, 0);
        keys[3 * index + 1] = (long) LONGS.get(id, 8);
        keys[3 * index + 2] = ((long) (int) INTS.get(id, 16) << 16) | node.address().getPort();
    }

    @Override
    public CompactNodeInfo find(byte[] in, int offset) {
        int at = offset + 20;
        if (in[at] != 127) {
            return null;
        }
        int index = (((in[at + 1] & 0xff) << 16) | ((in[at + 2] & 0xff) << 8) | (in[at + 3] & 0xff)) - 1;
        if (index < 0 || index >= count || infos[index] == null) {
            return null;
        }
        long k0 = (long) LONGS.get(in, offset);
        long k1 = (long) LONGS.get(in, offset + 8);
        long k2 = ((long) (int) INTS.get(in, offset + 16) << 16) | ((in[at + 4] & 0xff) << 8) | (in[at + 5] & 0xff);
        boolean same = keys[3 * index] == k0 && keys[3 * index + 1] == k1 && keys[3 * index + 2] == k2;
        return same ? infos[index] : null;
    }
}
