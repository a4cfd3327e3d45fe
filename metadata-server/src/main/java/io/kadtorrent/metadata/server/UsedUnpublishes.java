package io.kadtorrent.metadata.server;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.io.BaseEncoding;
import io.kadtorrent.metadata.signing.UnpublishSignature;

import java.time.Duration;

/**
 * The unpublish signatures that removed a torrent recently, so one captured request cannot
 * remove the same torrent again after its publisher published it anew. A signature is only
 * accepted within {@link UnpublishSignature#MAX_CLOCK_SKEW} of its time either way, so
 * remembering it for twice that covers its whole life. Kept in memory only: after a restart a
 * replay within that window is possible (docs/metadata-protocol.md). Bounded; thread-safe.
 */
final class UsedUnpublishes {

    /** Most signatures remembered; beyond this the oldest go first. */
    static final int MAX_REMEMBERED = 100_000;
    static final Duration REMEMBER_FOR = UnpublishSignature.MAX_CLOCK_SKEW.multipliedBy(2);

    private final Cache<String, Boolean> used = CacheBuilder.newBuilder()
            .maximumSize(MAX_REMEMBERED)
            .expireAfterWrite(REMEMBER_FOR)
            .build();

    boolean wasUsed(UnpublishSignature s) {
        return used.getIfPresent(key(s)) != null;
    }

    void remember(UnpublishSignature s) {
        used.put(key(s), Boolean.TRUE);
    }

    private static String key(UnpublishSignature s) {
        // The signature alone: Ed25519 signatures are deterministic, one per (key, info_hash, time).
        return BaseEncoding.base16().encode(s.signature());
    }
}
