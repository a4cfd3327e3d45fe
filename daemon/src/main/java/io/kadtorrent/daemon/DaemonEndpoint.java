package io.kadtorrent.daemon;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a running daemon listens, as {@code DIR/daemon.json} tells the CLI.
 *
 * @param http the control API, {@code host:port}
 * @param tcp  the peer listener
 * @param udp  the DHT node, or null without one
 * @param pid  the daemon's process id
 */
public record DaemonEndpoint(@JsonProperty("http") String http, @JsonProperty("tcp") String tcp,
                             @JsonProperty("udp") String udp, @JsonProperty("pid") long pid) {
}
