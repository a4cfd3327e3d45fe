package io.kadtorrent.engine.swarm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.random.RandomGenerator;

/**
 * Tit-for-tat choking (BEP 3 "Choking and optimistic unchoking"), sans I/O: given a snapshot of
 * the peers and the time, decides whom to unchoke. Regular slots go to the interested peers that
 * send us data fastest (that we send data to fastest once we are seeding); peers that snub us
 * lose theirs. One more slot, the optimistic unchoke, rotates every 30 s over the other
 * interested peers, new ones three times likelier, so newcomers and better partners get found.
 * The caller rechokes every {@link #RECHOKE_INTERVAL}. Confined to one thread.
 *
 * @param <P> the caller's peer handle
 */
public final class Choker<P> {

    /** Regular unchoke slots; with the optimistic one, 4 peers download from us (mainline default). */
    public static final int DEFAULT_REGULAR_SLOTS = 3;
    public static final Duration RECHOKE_INTERVAL = Duration.ofSeconds(10); // BEP 3: "every ten seconds"
    public static final Duration OPTIMISTIC_INTERVAL = Duration.ofSeconds(30); // BEP 3: "every 30 seconds"
    /** A peer we want data from that sent no block for this long is snubbing us (mainline: 60 s). */
    public static final Duration SNUB_TIMEOUT = Duration.ofSeconds(60);
    /** Peers connected for less than this count as new for the optimistic draw. */
    public static final Duration NEW_PEER_WINDOW = OPTIMISTIC_INTERVAL;
    static final int NEW_PEER_WEIGHT = 3; // new peers are three times as likely to be picked

    /** The decision of one rechoke: everyone else is choked. */
    public record Unchoked<P>(Set<P> regular, Optional<P> optimistic) {
        public Unchoked {
            regular = Set.copyOf(regular);
            if (optimistic.isPresent() && regular.contains(optimistic.get())) {
                throw new IllegalArgumentException("the optimistic unchoke is not a regular one");
            }
        }

        public Set<P> all() {
            Set<P> all = new LinkedHashSet<>(regular);
            optimistic.ifPresent(all::add);
            return all;
        }
    }

    private final int regularSlots;
    private final RandomGenerator random;
    private P optimistic;
    private Instant optimisticSince = Instant.MIN;

    public Choker(int regularSlots, RandomGenerator random) {
        if (regularSlots < 0) {
            throw new IllegalArgumentException("regular slots must be >= 0");
        }
        this.regularSlots = regularSlots;
        this.random = Objects.requireNonNull(random);
    }

    /** Decides the unchoked peers now; {@code seeding} switches ranking to our upload rate. */
    public Unchoked<P> rechoke(Instant now, boolean seeding, Collection<PeerSnapshot<P>> peers) {
        Set<P> regular = regular(now, seeding, peers);
        List<PeerSnapshot<P>> candidates = peers.stream()
                .filter(p -> p.peerInterested() && !regular.contains(p.peer()))
                .toList();
        return new Unchoked<>(regular, Optional.ofNullable(optimistic(now, candidates)));
    }

    private Set<P> regular(Instant now, boolean seeding, Collection<PeerSnapshot<P>> peers) {
        ToLongFunction<PeerSnapshot<P>> rate = seeding
                ? PeerSnapshot::uploadBytesPerSecond
                : PeerSnapshot::downloadBytesPerSecond;
        Set<P> out = new LinkedHashSet<>();
        peers.stream()
                .filter(PeerSnapshot::peerInterested)
                .filter(p -> seeding || !p.isSnubbing(now, SNUB_TIMEOUT))
                .sorted(Comparator.comparingLong(rate).reversed())
                .limit(regularSlots)
                .forEach(p -> out.add(p.peer()));
        return out;
    }

    /** Keeps the optimistic unchoke for 30 s while it stays a candidate, then draws another. */
    private P optimistic(Instant now, List<PeerSnapshot<P>> candidates) {
        boolean current = optimistic != null && candidates.stream().anyMatch(p -> p.peer().equals(optimistic));
        if (current && now.isBefore(optimisticSince.plus(OPTIMISTIC_INTERVAL))) {
            return optimistic;
        }
        List<PeerSnapshot<P>> others = candidates.stream().filter(p -> !p.peer().equals(optimistic)).toList();
        List<PeerSnapshot<P>> pool = others.isEmpty() ? candidates : others;
        optimistic = draw(now, pool);
        optimisticSince = now;
        return optimistic;
    }

    /** A weighted draw: each new peer holds {@link #NEW_PEER_WEIGHT} tickets, others one. */
    private P draw(Instant now, List<PeerSnapshot<P>> pool) {
        if (pool.isEmpty()) {
            return null;
        }
        List<P> tickets = new ArrayList<>();
        for (PeerSnapshot<P> p : pool) {
            int weight = p.isNew(now, NEW_PEER_WINDOW) ? NEW_PEER_WEIGHT : 1;
            for (int i = 0; i < weight; i++) {
                tickets.add(p.peer());
            }
        }
        return tickets.get(random.nextInt(tickets.size()));
    }
}
