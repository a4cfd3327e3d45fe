package io.kadtorrent.engine.pick;

import io.kadtorrent.engine.wire.BlockRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The blocks requested from one peer and not answered yet, as an open-addressing table of packed
 * {@code long}s (piece, block number, length): adding, finding and removing a block reads one slot of
 * one array and allocates nothing, where a {@code HashSet<BlockRequest>} touches a table, an entry and
 * a record. Only whole aligned blocks (what the {@link PiecePicker} hands out) can be members; any other
 * block is simply not in the set. The swarm keeps one per peer, and the picker takes that object as
 * the peer's identity for piece affinity. Iteration order is the table's, stable for the same history.
 * Not thread-safe.
 */
public final class BlockSet {

    private static final long FREE = -1; // packed blocks are >= 0
    private static final int BLOCK_BITS = 17; // block numbers within a piece: pieces up to 2 GiB
    private static final int LENGTH_BITS = 14; // length - 1 of a block up to 16 KiB
    private static final int INITIAL_CAPACITY = 16;

    private long[] slots = newSlots(INITIAL_CAPACITY);
    private int size;

    /** Adds {@code b}; false when it was there already. */
    public boolean add(BlockRequest b) {
        long key = pack(b.pieceIndex(), b.begin(), b.lengthBytes());
        if (key < 0) {
            throw new IllegalArgumentException("not a whole aligned block: " + b);
        }
        int i = find(key);
        if (slots[i] == key) {
            return false;
        }
        slots[i] = key;
        if (++size * 2 > slots.length) {
            grow();
        }
        return true;
    }

    public boolean contains(BlockRequest b) {
        return contains(b.pieceIndex(), b.begin(), b.lengthBytes());
    }

    public boolean contains(int pieceIndex, int begin, int lengthBytes) {
        long key = pack(pieceIndex, begin, lengthBytes);
        return key >= 0 && slots[find(key)] == key;
    }

    /** Removes {@code b}; false when it was not there. */
    public boolean remove(BlockRequest b) {
        long key = pack(b.pieceIndex(), b.begin(), b.lengthBytes());
        if (key < 0) {
            return false;
        }
        int i = find(key);
        if (slots[i] != key) {
            return false;
        }
        delete(i);
        return true;
    }

    /** Removes every block of piece {@code pieceIndex}; returns how many there were. */
    public int removePiece(int pieceIndex) {
        int removed = 0;
        for (BlockRequest b : toList()) {
            if (b.pieceIndex() == pieceIndex) {
                remove(b);
                removed++;
            }
        }
        return removed;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void clear() {
        if (size > 0) {
            Arrays.fill(slots, FREE);
            size = 0;
        }
    }

    /** Calls {@code action} with each block; the set must not change meanwhile. */
    public void forEach(Consumer<BlockRequest> action) {
        for (long key : slots) {
            if (key != FREE) {
                action.accept(unpack(key));
            }
        }
    }

    /** The blocks, as a list of their own (the set may change while it is read). */
    public List<BlockRequest> toList() {
        List<BlockRequest> out = new ArrayList<>(size);
        forEach(out::add);
        return out;
    }

    @Override
    public String toString() {
        return toList().toString();
    }

    /** The block as one non-negative long, or -1 when it is no whole aligned block this set can hold. */
    private static long pack(int pieceIndex, int begin, int lengthBytes) {
        int block = begin / BlockRequest.BLOCK_SIZE;
        if (pieceIndex < 0 || begin < 0 || begin % BlockRequest.BLOCK_SIZE != 0 || block >= 1 << BLOCK_BITS
                || lengthBytes <= 0 || lengthBytes > BlockRequest.BLOCK_SIZE) {
            return -1;
        }
        return (long) pieceIndex << (BLOCK_BITS + LENGTH_BITS) | (long) block << LENGTH_BITS | (lengthBytes - 1);
    }

    private static BlockRequest unpack(long key) {
        int pieceIndex = (int) (key >>> (BLOCK_BITS + LENGTH_BITS));
        int block = (int) (key >>> LENGTH_BITS) & ((1 << BLOCK_BITS) - 1);
        int length = (int) (key & ((1 << LENGTH_BITS) - 1)) + 1;
        return new BlockRequest(pieceIndex, block * BlockRequest.BLOCK_SIZE, length);
    }

    /** The slot holding {@code key}, or the free slot where it would go (linear probing). */
    private int find(long key) {
        int mask = slots.length - 1;
        int i = home(key, mask);
        while (slots[i] != FREE && slots[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private static int home(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing: the high bits mix every bit of the key
        return (int) (h >>> 32) & mask;
    }

    /** Empties slot {@code i}, moving later keys of its probe run back so every lookup still finds them. */
    private void delete(int i) {
        int mask = slots.length - 1;
        size--;
        int gap = i;
        for (int j = (i + 1) & mask; slots[j] != FREE; j = (j + 1) & mask) {
            int home = home(slots[j], mask);
            // the key at j may fill the gap unless its home lies cyclically in (gap, j]
            boolean homeBetween = gap <= j ? gap < home && home <= j : gap < home || home <= j;
            if (!homeBetween) {
                slots[gap] = slots[j];
                gap = j;
            }
        }
        slots[gap] = FREE;
    }

    private void grow() {
        long[] old = slots;
        slots = newSlots(old.length * 2);
        for (long key : old) {
            if (key != FREE) {
                slots[find(key)] = key;
            }
        }
    }

    private static long[] newSlots(int capacity) {
        long[] s = new long[capacity];
        Arrays.fill(s, FREE);
        return s;
    }
}
