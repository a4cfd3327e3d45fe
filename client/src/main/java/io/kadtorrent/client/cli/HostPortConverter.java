package io.kadtorrent.client.cli;

import com.google.common.net.HostAndPort;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.InetSocketAddress;

/** Parses {@code HOST:PORT} (IPv6 as {@code [::1]:PORT}) for picocli; a bad value is a usage error. */
final class HostPortConverter implements ITypeConverter<InetSocketAddress> {

    @Override
    public InetSocketAddress convert(String value) {
        try {
            HostAndPort hp = HostAndPort.fromString(value);
            if (!hp.hasPort() || hp.getPort() == 0) {
                throw new TypeConversionException("'" + value + "' needs a port: HOST:PORT");
            }
            return new InetSocketAddress(hp.getHost(), hp.getPort());
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not HOST:PORT");
        }
    }
}
