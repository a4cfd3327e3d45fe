package io.kadtorrent.client.cli;

import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.bencode.InvalidBencodeException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The value {@code dht put} stores: {@code --value STRING} or {@code --value-file F}, bencoded as one byte
 * string, or taken as one bencoded value as it is with {@code --bencode}. Checked against BEP 44's
 * 1000-byte limit before anything is sent.
 */
final class ItemValueInput {

    @Option(names = "--value", paramLabel = "STRING", description = "The value (UTF-8).")
    String text;

    @Option(names = "--value-file", paramLabel = "FILE", description = "The value: the bytes of FILE.")
    Path file;

    @Option(names = "--bencode", description = "The value is already bencoded (any bencoded value, e.g. d1:ai1ee);"
            + " without it the value is stored as one bencoded byte string.")
    boolean raw;

    /**
     * The file's bytes, read through a stream and never more than one byte over what could be stored (a FIFO,
     * /dev/stdin or a /proc file report a size of 0, so the size is not trusted).
     */
    private static byte[] readAtMostOneOver(Path file, CommandSpec command) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(ItemValue.MAX_BYTES + 1);
            if (bytes.length > ItemValue.MAX_BYTES) {
                throw new ParameterException(command.commandLine(), file + " holds more than " + ItemValue.MAX_BYTES
                        + " bytes; BEP 44 allows at most " + ItemValue.MAX_BYTES + " bencoded");
            }
            return bytes;
        }
    }

    ItemValue toValue(CommandSpec command) throws IOException {
        if ((text == null) == (file == null)) {
            throw new ParameterException(command.commandLine(), "give exactly one of --value STRING and --value-file FILE");
        }
        byte[] given = text != null ? text.getBytes(UTF_8) : readAtMostOneOver(file, command);
        byte[] encoded = raw ? given : BencodeCodec.encode(given);
        if (encoded.length > ItemValue.MAX_BYTES) {
            throw tooBig(command, encoded.length);
        }
        if (raw) {
            try {
                BencodeCodec.decode(encoded, BencodeLimits.DATAGRAM);
            } catch (InvalidBencodeException e) {
                throw new ParameterException(command.commandLine(), "--bencode: the value is not one bencoded value ("
                        + e.getMessage() + " at byte " + e.offset() + ")");
            }
        }
        return ItemValue.of(encoded);
    }

    private static ParameterException tooBig(CommandSpec command, long sizeBytes) {
        return new ParameterException(command.commandLine(), "the value is " + sizeBytes
                + " bytes bencoded; BEP 44 allows at most " + ItemValue.MAX_BYTES);
    }
}
