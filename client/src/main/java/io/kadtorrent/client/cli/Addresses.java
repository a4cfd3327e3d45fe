package io.kadtorrent.client.cli;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;

import java.net.InetSocketAddress;

/** How the CLI prints socket addresses in its stable lines: {@code host:port}, IPv6 in brackets and RFC 5952 form ({@code [::1]:6881}). */
final class Addresses {

    private Addresses() {
    }

    static String format(InetSocketAddress a) {
        return HostAndPort.fromParts(InetAddresses.toAddrString(a.getAddress()), a.getPort()).toString();
    }
}
