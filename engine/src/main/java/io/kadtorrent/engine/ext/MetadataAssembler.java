package io.kadtorrent.engine.ext;

import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.RawBencode;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.InvalidMetainfoException;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fetches a torrent's info dictionary from peers over BEP 9 (magnet links), sans I/O: the caller
 * reports handshakes, data and rejects, and sends the requests {@link #poll} returns. The whole
 * dictionary must hash to the info_hash before it is parsed. A peer whose data breaks the
 * expected sizes is banned at once; after a hash mismatch with several contributors every later
 * attempt takes all pieces from one peer, so the liar is identified and banned. Time is passed in.
 * Confined to one thread.
 *
 * @param <P> how the caller identifies a peer connection (must have value equality)
 */
public final class MetadataAssembler<P> {

    private static final Logger log = LoggerFactory.getLogger(MetadataAssembler.class);

    /** Requests in flight per peer; metadata is small, so a short pipe is enough. */
    public static final int MAX_REQUESTS_PER_PEER = 2;
    /** A peer that does not answer a request within this time is not asked again until it re-handshakes. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** What one received data message did. */
    public enum Outcome { ACCEPTED, IGNORED, BANNED, HASH_MISMATCH, COMPLETE, INVALID_METAINFO }

    /** Send a ut_metadata request for {@code piece} to {@code peer}. */
    public record PieceRequest<P>(P peer, int piece) {
    }

    private final InfoHash infoHash;
    private final Map<P, Integer> advertisedSizes = new LinkedHashMap<>();
    private final Set<P> unwilling = new HashSet<>();
    private final Set<P> banned = new HashSet<>();
    private final List<P> newlyBanned = new ArrayList<>();
    private MetadataAttempt<P> attempt;
    private boolean singleSource;
    private P soleSource;
    private Metainfo metainfo;
    private InvalidMetainfoException invalid;

    public MetadataAssembler(InfoHash infoHash) {
        this.infoHash = infoHash;
    }

    /** A peer's extension handshake arrived; it becomes a source if it serves metadata. */
    public boolean addPeer(P peer, ExtensionHandshake handshake) {
        return handshake.servesMetadata() && addPeer(peer, handshake.metadataSizeBytes().getAsInt());
    }

    /** Adds {@code peer} as a source of {@code metadataSizeBytes} of metadata; false when unusable. */
    public boolean addPeer(P peer, int metadataSizeBytes) {
        if (banned.contains(peer) || !MetadataLayout.isValidSize(metadataSizeBytes)) {
            return false;
        }
        advertisedSizes.put(peer, metadataSizeBytes);
        unwilling.remove(peer);
        return true;
    }

    /** The peer disconnected: its requests go to others. */
    public void removePeer(P peer) {
        advertisedSizes.remove(peer);
        unwilling.remove(peer);
        if (attempt != null) {
            attempt.release(peer);
        }
        if (peer.equals(soleSource)) {
            soleSource = null;
        }
    }

    /** The requests to send now; call after every event and on a timer (time outs are found here). */
    public List<PieceRequest<P>> poll(Instant now) {
        if (isDone()) {
            return List.of();
        }
        if (attempt != null) {
            unwilling.addAll(attempt.expire(now, REQUEST_TIMEOUT));
        }
        List<P> sources = sourcesForAttempt();
        if (sources.isEmpty()) {
            return List.of();
        }
        if (singleSource) {
            if (soleSource == null || !sources.contains(soleSource)) {
                soleSource = sources.get(0);
                attempt = new MetadataAttempt<>(attempt.layout()); // all pieces from the new source
                log.debug("{} fetching metadata from one peer only", infoHash.shortHex());
            }
            sources = List.of(soleSource);
        }
        return assign(sources, now);
    }

    public Outcome onData(P peer, MetadataMessage.Data data) {
        if (isDone() || banned.contains(peer) || attempt == null) {
            return Outcome.IGNORED;
        }
        Integer advertised = advertisedSizes.get(peer);
        if (advertised == null || advertised != attempt.layout().totalSizeBytes()) {
            return Outcome.IGNORED; // we never asked this peer for metadata of this size
        }
        if (data.totalSizeBytes() != advertised) {
            ban(peer, "total_size " + data.totalSizeBytes() + " differs from its metadata_size " + advertised);
            return Outcome.BANNED;
        }
        if ((singleSource && !peer.equals(soleSource)) || attempt.has(data.piece())) {
            attempt.release(data.piece(), peer);
            return Outcome.IGNORED;
        }
        attempt.store(data.piece(), peer, data.data());
        return attempt.isComplete() ? verify() : Outcome.ACCEPTED;
    }

    /** BEP 9: the peer will not send {@code piece}; it is not asked again until it re-handshakes. */
    public void onReject(P peer, int piece) {
        if (attempt != null) {
            attempt.release(piece, peer);
        }
        unwilling.add(peer);
    }

    /** Peers banned since the last call: the caller should disconnect them. */
    public List<P> takeNewlyBanned() {
        List<P> out = List.copyOf(newlyBanned);
        newlyBanned.clear();
        return out;
    }

    public boolean isBanned(P peer) {
        return banned.contains(peer);
    }

    /** True once the metadata is verified, or proved to be an invalid torrent. */
    public boolean isDone() {
        return metainfo != null || invalid != null;
    }

    /** The verified torrent, once complete. */
    public Optional<Metainfo> metainfo() {
        return Optional.ofNullable(metainfo);
    }

    /** Why metadata that matched the info_hash is still not a torrent we accept. */
    public Optional<InvalidMetainfoException> failure() {
        return Optional.ofNullable(invalid);
    }

    /** Peers to ask under the current attempt, starting one (of the most advertised size) if needed. */
    private List<P> sourcesForAttempt() {
        if (attempt != null && !advertisedSizes.containsValue(attempt.layout().totalSizeBytes())) {
            attempt = null; // every peer that claimed this size is gone or banned
        }
        if (attempt == null) {
            Optional<Integer> size = mostAdvertisedSize();
            if (size.isEmpty()) {
                return List.of();
            }
            attempt = new MetadataAttempt<>(new MetadataLayout(size.get()));
        }
        int size = attempt.layout().totalSizeBytes();
        List<P> withSize = advertisedSizes.entrySet().stream()
                .filter(e -> e.getValue() == size).map(Map.Entry::getKey).toList();
        List<P> willing = withSize.stream().filter(p -> !unwilling.contains(p)).toList();
        if (willing.isEmpty()) {
            unwilling.removeAll(withSize); // everyone refused or was slow: try them all again
            return withSize;
        }
        return willing;
    }

    private Optional<Integer> mostAdvertisedSize() {
        Map<Integer, Integer> votes = new LinkedHashMap<>();
        advertisedSizes.values().forEach(s -> votes.merge(s, 1, Integer::sum));
        return votes.entrySet().stream()
                .max(Comparator.comparingInt(Map.Entry::getValue)) // ties: first advertised wins
                .map(Map.Entry::getKey);
    }

    private List<PieceRequest<P>> assign(List<P> sources, Instant now) {
        Map<P, Integer> load = new HashMap<>();
        sources.forEach(p -> load.put(p, attempt.outstandingFrom(p)));
        List<PieceRequest<P>> out = new ArrayList<>();
        for (int piece = 0; piece < attempt.layout().pieceCount(); piece++) {
            if (!attempt.needs(piece)) {
                continue;
            }
            P peer = sources.stream().min(Comparator.comparingInt(load::get)).orElseThrow();
            if (load.get(peer) >= MAX_REQUESTS_PER_PEER) {
                break;
            }
            load.merge(peer, 1, Integer::sum);
            attempt.asked(piece, peer, now);
            out.add(new PieceRequest<>(peer, piece));
        }
        return out;
    }

    private Outcome verify() {
        byte[] info = attempt.assemble();
        Set<P> contributors = attempt.contributors();
        MetadataLayout layout = attempt.layout();
        attempt = null;
        if (!InfoHash.ofInfo(info).equals(infoHash)) {
            if (contributors.size() == 1) {
                ban(contributors.iterator().next(), "its metadata does not hash to the info_hash");
            } else {
                log.debug("{} metadata from {} peers fails its hash; asking one peer at a time",
                        infoHash.shortHex(), contributors.size());
                singleSource = true;
                soleSource = null;
            }
            attempt = new MetadataAttempt<>(layout);
            return Outcome.HASH_MISMATCH;
        }
        try {
            metainfo = MetainfoParser.parse(BencodeCodec.encode(Map.of("info", RawBencode.of(info))));
            return Outcome.COMPLETE;
        } catch (InvalidMetainfoException e) {
            invalid = e;
            return Outcome.INVALID_METAINFO;
        }
    }

    private void ban(P peer, String reason) {
        log.warn("{} banning metadata peer {}: {}", infoHash.shortHex(), peer, reason);
        banned.add(peer);
        newlyBanned.add(peer);
        removePeer(peer);
    }
}
