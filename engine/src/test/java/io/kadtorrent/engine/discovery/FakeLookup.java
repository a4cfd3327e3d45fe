package io.kadtorrent.engine.discovery;

import io.kadtorrent.torrent.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A {@link PeerLookup} whose lookups and announces the test completes by hand; records when each began. */
final class FakeLookup implements PeerLookup {

    record LookupCall(Duration at, Consumer<InetSocketAddress> onPeer,
                      CompletableFuture<Set<InetSocketAddress>> result) {
    }

    record AnnounceCall(Duration at, int port, CompletableFuture<Integer> result) {
    }

    private final ManualScheduler scheduler;
    final List<LookupCall> lookups = new ArrayList<>();
    final List<AnnounceCall> announces = new ArrayList<>();
    private Duration autoAnswerLatency;

    FakeLookup(ManualScheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** From now on every lookup completes by itself, with no peers, {@code latency} after it began. */
    void answerEveryLookupAfter(Duration latency) {
        this.autoAnswerLatency = latency;
    }

    @Override
    public CompletableFuture<Set<InetSocketAddress>> getPeers(InfoHash infoHash, Consumer<InetSocketAddress> onPeer) {
        LookupCall call = new LookupCall(scheduler.now(), onPeer, new CompletableFuture<>());
        lookups.add(call);
        if (autoAnswerLatency != null) {
            scheduler.schedule(autoAnswerLatency, () -> call.result().complete(Set.of()));
        }
        return call.result();
    }

    @Override
    public CompletableFuture<Integer> announce(InfoHash infoHash, int port) {
        AnnounceCall call = new AnnounceCall(scheduler.now(), port, new CompletableFuture<>());
        announces.add(call);
        return call.result();
    }

    LookupCall lastLookup() {
        return lookups.get(lookups.size() - 1);
    }

    AnnounceCall lastAnnounce() {
        return announces.get(announces.size() - 1);
    }

    List<Duration> lookupTimes() {
        return lookups.stream().map(LookupCall::at).toList();
    }

    List<Duration> announceTimes() {
        return announces.stream().map(AnnounceCall::at).toList();
    }
}
