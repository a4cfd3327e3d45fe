package io.kadtorrent.client.cli;

import picocli.CommandLine;

/**
 * Reads a rate limit: bytes per second with an optional binary unit ({@code 500K}, {@code 2MiB},
 * {@code 1.5M/s}), or {@code 0} / {@code unlimited} for no limit. Anything else is a usage error (exit 2).
 */
final class RateConverter implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        try {
            return ByteSize.parseRate(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
