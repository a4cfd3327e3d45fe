package io.kadtorrent.client.cli;

import picocli.CommandLine;

/** Reads a TCP or UDP port option: 0 (any free port) to 65535; anything else is a usage error (exit 2). */
final class PortConverter implements CommandLine.ITypeConverter<Integer> {

    static final int MAX_PORT = 65_535; // RFC 793 / RFC 768: ports are 16-bit

    @Override
    public Integer convert(String value) {
        int port;
        try {
            port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a port number (0.." + MAX_PORT + ")");
        }
        if (port < 0 || port > MAX_PORT) {
            throw new CommandLine.TypeConversionException(port + " is not a port number (0.." + MAX_PORT + ")");
        }
        return port;
    }
}
