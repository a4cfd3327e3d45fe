package io.kadtorrent.engine;

import io.kadtorrent.engine.mse.EncryptionPolicy;

import java.nio.file.Path;
import java.util.Optional;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Settings of one client session; CLI flags map onto these fields.
 *
 * @param bindHost           address the TCP listener binds to
 * @param port               TCP listen port (0 = ephemeral)
 * @param maxPeersPerTorrent connections kept per torrent
 * @param unchokeSlots       peers uploaded to at once per torrent
 * @param resumeDir          where resume data is kept ({@code <info_hash>.resume}); empty: beside the data,
 *                           in {@code <parent folder>/.kadtorrent/}. A folder of this session alone: the temp
 *                           files of saves cut off by a crash are deleted from it when the session starts
 * @param encryption         when peer connections use MSE/PE stream encryption ({@link EncryptionPolicy})
 */
public record SessionConfig(String bindHost, int port, int maxPeersPerTorrent, int unchokeSlots,
                            Optional<Path> resumeDir, EncryptionPolicy encryption) {

    public static final int DEFAULT_PORT = 6881; // BEP 3: the traditional first port

    public SessionConfig {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be in 0..65535: " + port);
        }
        if (maxPeersPerTorrent < 1 || unchokeSlots < 1) {
            throw new IllegalArgumentException("maxPeersPerTorrent and unchokeSlots must be >= 1");
        }
        java.util.Objects.requireNonNull(encryption, "encryption");
        try {
            InetAddress.getByName(bindHost);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve bind address " + bindHost, e);
        }
    }

    public static SessionConfig defaults() {
        return new SessionConfig("0.0.0.0", DEFAULT_PORT, 50, 8, Optional.empty(), EncryptionPolicy.PREFER);
    }

    public SessionConfig withBindHost(String host) {
        return new SessionConfig(host, port, maxPeersPerTorrent, unchokeSlots, resumeDir, encryption);
    }

    public SessionConfig withPort(int p) {
        return new SessionConfig(bindHost, p, maxPeersPerTorrent, unchokeSlots, resumeDir, encryption);
    }

    public SessionConfig withMaxPeersPerTorrent(int n) {
        return new SessionConfig(bindHost, port, n, unchokeSlots, resumeDir, encryption);
    }

    public SessionConfig withUnchokeSlots(int n) {
        return new SessionConfig(bindHost, port, maxPeersPerTorrent, n, resumeDir, encryption);
    }

    public SessionConfig withResumeDir(Path dir) {
        return new SessionConfig(bindHost, port, maxPeersPerTorrent, unchokeSlots, Optional.of(dir), encryption);
    }

    public SessionConfig withEncryption(EncryptionPolicy policy) {
        return new SessionConfig(bindHost, port, maxPeersPerTorrent, unchokeSlots, resumeDir, policy);
    }
}
