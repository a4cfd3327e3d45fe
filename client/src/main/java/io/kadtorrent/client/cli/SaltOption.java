package io.kadtorrent.client.cli;

import io.kadtorrent.dht.items.MutableItem;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * {@code --salt S}: the BEP 44 salt of a mutable item, taken as the UTF-8 bytes of S, so one key can
 * keep several items (and BEP 46 catalogs) apart. No salt is the empty salt.
 */
final class SaltOption {

    @Option(names = "--salt", paramLabel = "S",
            description = "Salt of the mutable item (UTF-8, at most 64 bytes; BEP 44): one key keeps one item per salt.")
    String salt;

    /** The salt's bytes, empty when none was given; a salt over BEP 44's limit is a usage error. */
    byte[] bytes(CommandSpec command) {
        if (salt == null) {
            return new byte[0];
        }
        byte[] bytes = salt.getBytes(UTF_8);
        if (bytes.length > MutableItem.MAX_SALT_BYTES) {
            throw new ParameterException(command.commandLine(), "--salt is " + bytes.length
                    + " bytes; BEP 44 allows at most " + MutableItem.MAX_SALT_BYTES);
        }
        return bytes;
    }
}
