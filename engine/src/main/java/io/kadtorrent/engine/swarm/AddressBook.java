package io.kadtorrent.engine.swarm;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peer addresses a swarm may dial, from every source, and when each may be dialled next. A failed
 * attempt backs off exponentially; an address a source found is forgotten after
 * {@link #MAX_FAILURES} failures in a row, one the user gave is retried for as long as the swarm
 * runs. Banned addresses are never dialled again. Bounded; confined to the core's thread.
 */
final class AddressBook {

    /** Where an address came from. */
    enum Origin {
        /** Given by the user ({@code --peer}, magnet {@code x.pe}): never forgotten. */
        USER,
        /** Found by a peer source (DHT, later trackers and PEX). */
        FOUND
    }

    static final int MAX_ADDRESSES = 2000;
    static final int MAX_FAILURES = 5;
    static final long FIRST_BACKOFF_MILLIS = 1_000;
    static final long MAX_BACKOFF_MILLIS = 60_000;
    /** After a connection ends, the address waits this long before it is dialled again. */
    static final long REDIAL_AFTER_CLOSE_MILLIS = 10_000;

    private enum State { IDLE, CONNECTING, CONNECTED, BANNED }

    private static final class Entry {
        final Origin origin;
        State state = State.IDLE;
        int failures;
        long dueAt;
        boolean seed;

        Entry(Origin origin, long dueAt) {
            this.origin = origin;
            this.dueAt = dueAt;
        }
    }

    private final Map<InetSocketAddress, Entry> entries = new LinkedHashMap<>();
    private int connecting;
    /** {@link #nextDueAt}'s answer, kept until an entry changes (it scans every entry). */
    private long cachedDueAt;
    private boolean cachedComplete;
    private boolean stale = true;

    /** Where a known address came from, or null for one we never learned (a peer that dialled us). */
    Origin originOf(InetSocketAddress address) {
        Entry e = entries.get(address);
        return e == null ? null : e.origin;
    }

    /** Learns {@code address}; an address seen before becomes due at once unless it is busy or banned. */
    void offer(InetSocketAddress address, Origin origin, long now) {
        stale = true;
        Entry e = entries.get(address);
        if (e == null) {
            if (entries.size() >= MAX_ADDRESSES && origin == Origin.FOUND) {
                return;
            }
            entries.put(address, new Entry(origin, now));
        } else if (e.state == State.IDLE && e.failures == 0) {
            e.dueAt = Math.min(e.dueAt, now);
        }
    }

    /** Up to {@code max} addresses to dial now, marked as connecting; seeds are skipped when {@code complete}. */
    List<InetSocketAddress> takeDue(long now, int max, boolean complete) {
        stale = true;
        List<InetSocketAddress> out = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Entry> me : entries.entrySet()) {
            if (out.size() >= max) {
                break;
            }
            Entry e = me.getValue();
            if (e.state == State.IDLE && e.dueAt <= now && !(complete && e.seed)) {
                e.state = State.CONNECTING;
                connecting++;
                out.add(me.getKey());
            }
        }
        return out;
    }

    int connecting() {
        return connecting;
    }

    /** A connection to {@code address} is up (we dialled it, or it is a known address that dialled us). */
    void connected(InetSocketAddress address) {
        stale = true;
        Entry e = entries.get(address);
        if (e != null && e.state != State.BANNED) {
            if (e.state == State.CONNECTING) {
                connecting--;
            }
            e.state = State.CONNECTED;
            e.failures = 0;
        }
    }

    /**
     * A peer that dialled us accepts connections at {@code address}: held as connected (learned if new, room
     * permitting) so no source makes us dial it again while that connection lasts; {@link #closed} frees it.
     * False when the address was not free to hold: being dialled (the handshake sorts out twin connections),
     * connected already (another peer behind the same IP said the same port), banned, or no room.
     */
    boolean connectedIncoming(InetSocketAddress address, long now) {
        Entry e = entries.get(address);
        if (e == null) {
            if (entries.size() >= MAX_ADDRESSES) {
                return false;
            }
            e = new Entry(Origin.FOUND, now);
            entries.put(address, e);
        }
        if (e.state != State.IDLE) {
            return false;
        }
        stale = true;
        e.state = State.CONNECTED;
        e.failures = 0;
        return true;
    }

    /** True when {@code address} is connected or being dialled, so a second connection is not wanted. */
    boolean isBusy(InetSocketAddress address) {
        Entry e = entries.get(address);
        return e != null && (e.state == State.CONNECTED || e.state == State.CONNECTING);
    }

    /** Dialling {@code address} failed: back off, or forget it after too many failures. */
    void failed(InetSocketAddress address, long now) {
        stale = true;
        Entry e = entries.get(address);
        if (e == null || e.state == State.BANNED) {
            return;
        }
        if (e.state == State.CONNECTING) {
            connecting--;
        }
        e.failures++;
        if (e.origin == Origin.FOUND && e.failures >= MAX_FAILURES) {
            entries.remove(address);
            return;
        }
        e.state = State.IDLE;
        int shift = Math.min(e.failures - 1, 16);
        e.dueAt = now + Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << shift);
    }

    /** After a duplicate of an existing connection was refused, the address rests this long. */
    static final long REDIAL_AFTER_DUPLICATE_MILLIS = 300_000;

    /** We dialled a peer we were already connected to (it dialled us too): dial it again only much later. */
    void duplicate(InetSocketAddress address, long now) {
        stale = true;
        Entry e = entries.get(address);
        if (e != null && e.state == State.CONNECTED) {
            e.state = State.IDLE;
            e.dueAt = now + REDIAL_AFTER_DUPLICATE_MILLIS;
        }
    }

    /** The connection to {@code address} ended normally; {@code seed} when the peer had every piece. */
    void closed(InetSocketAddress address, long now, boolean seed) {
        stale = true;
        Entry e = entries.get(address);
        if (e != null && e.state == State.CONNECTED) {
            e.state = State.IDLE;
            e.seed = seed;
            e.dueAt = now + REDIAL_AFTER_CLOSE_MILLIS;
        }
    }

    /** {@code address} is never dialled again, whatever a source says. */
    void ban(InetSocketAddress address) {
        stale = true;
        Entry e = entries.get(address);
        if (e != null && e.state == State.CONNECTING) {
            connecting--;
        }
        if (e == null) {
            if (entries.size() >= MAX_ADDRESSES) {
                dropOneFound();
            }
            e = new Entry(Origin.FOUND, Long.MAX_VALUE);
            entries.put(address, e);
        }
        e.state = State.BANNED;
    }

    boolean isBanned(InetSocketAddress address) {
        Entry e = entries.get(address);
        return e != null && e.state == State.BANNED;
    }

    /** When the next idle address becomes due, or {@link Long#MAX_VALUE}. */
    long nextDueAt(boolean complete) {
        if (stale || complete != cachedComplete) {
            long next = Long.MAX_VALUE;
            for (Entry e : entries.values()) {
                if (e.state == State.IDLE && !(complete && e.seed)) {
                    next = Math.min(next, e.dueAt);
                }
            }
            cachedDueAt = next;
            cachedComplete = complete;
            stale = false;
        }
        return cachedDueAt;
    }

    /** Addresses that could be dialled (idle, not banned), for deciding whether sources must look for more. */
    int dialable(boolean complete) {
        int n = 0;
        for (Entry e : entries.values()) {
            if (e.state == State.IDLE && !(complete && e.seed)) {
                n++;
            }
        }
        return n;
    }

    private void dropOneFound() {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.origin == Origin.FOUND && e.state == State.IDLE) {
                it.remove();
                return;
            }
        }
    }
}
