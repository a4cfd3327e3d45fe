package io.kadtorrent.client.cli;

import com.google.common.net.HostAndPort;

import java.net.InetSocketAddress;

/** How the CLI prints socket addresses in its stable lines: {@code host:port}, IPv6 in brackets. */
final class Addresses {

    private Addresses() {
    }

    static String format(InetSocketAddress a) {
        return HostAndPort.fromParts(a.getAddress().getHostAddress(), a.getPort()).toString();
    }
}
