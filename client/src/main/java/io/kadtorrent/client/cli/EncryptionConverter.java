package io.kadtorrent.client.cli;

import io.kadtorrent.engine.mse.EncryptionPolicy;
import picocli.CommandLine;

/** Reads {@code --encryption}: disabled, enabled, prefer or require; anything else is a usage error (exit 2). */
final class EncryptionConverter implements CommandLine.ITypeConverter<EncryptionPolicy> {

    static final String DESCRIPTION = "Message stream encryption (MSE/PE) with peers: disabled (plain text only), "
            + "enabled (accept both, dial plain first), prefer (accept both, dial encrypted first; default), "
            + "require (encrypted only, both ways).";

    @Override
    public EncryptionPolicy convert(String value) {
        try {
            return EncryptionPolicy.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
