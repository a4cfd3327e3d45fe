package io.kadtorrent.metadata.server;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;

/**
 * Decides whether a misbehaving address deserves a WARN line now: at most one per address per
 * minute, so a flood of bad connections cannot turn into a flood of log lines. Thread-safe.
 */
final class WarningThrottle {

    private static final Duration QUIET_FOR = Duration.ofMinutes(1);
    private static final int MAX_ADDRESSES = 10_000;

    private final Cache<InetAddress, Boolean> warned = CacheBuilder.newBuilder()
            .maximumSize(MAX_ADDRESSES)
            .expireAfterWrite(QUIET_FOR)
            .build();

    /** True the first time {@code peer} misbehaves in a minute; false (log at DEBUG) after that. */
    boolean shouldWarn(SocketAddress peer) {
        if (!(peer instanceof InetSocketAddress a)) {
            return true;
        }
        return warned.asMap().putIfAbsent(a.getAddress(), Boolean.TRUE) == null;
    }
}
