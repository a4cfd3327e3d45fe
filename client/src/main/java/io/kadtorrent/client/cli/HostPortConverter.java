package io.kadtorrent.client.cli;

import com.google.common.net.HostAndPort;
import picocli.CommandLine;

/** Parses {@code HOST:PORT} options ({@code --server}, {@code --bootstrap}); the port is required. */
final class HostPortConverter implements CommandLine.ITypeConverter<HostAndPort> {

    @Override
    public HostAndPort convert(String value) {
        HostAndPort hp;
        try {
            hp = HostAndPort.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("not HOST:PORT: " + value);
        }
        if (!hp.hasPort() || hp.getHost().isEmpty()) {
            throw new CommandLine.TypeConversionException("expected HOST:PORT, got " + value);
        }
        return hp;
    }
}
