package io.kadtorrent.client.cli;

import com.google.common.net.HostAndPort;
import picocli.CommandLine;

import java.net.InetSocketAddress;

/** Parses {@code HOST:PORT} (or {@code [v6]:PORT}) options into a resolved socket address. */
final class HostPortConverter implements CommandLine.ITypeConverter<InetSocketAddress> {

    @Override
    public InetSocketAddress convert(String value) {
        HostAndPort hp;
        try {
            hp = HostAndPort.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("not HOST:PORT: " + value);
        }
        if (!hp.hasPort() || hp.getPort() < 1) {
            throw new CommandLine.TypeConversionException("missing port in " + value + " (expected HOST:PORT)");
        }
        InetSocketAddress address = new InetSocketAddress(hp.getHost(), hp.getPort());
        if (address.isUnresolved()) {
            throw new CommandLine.TypeConversionException("cannot resolve host " + hp.getHost());
        }
        return address;
    }
}
