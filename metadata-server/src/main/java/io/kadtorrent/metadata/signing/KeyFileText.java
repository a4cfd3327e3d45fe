package io.kadtorrent.metadata.signing;

import com.google.common.io.BaseEncoding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * The text layout shared by our key files: a header line naming the kind of key, then one line
 * of lower-case hex. Example ({@code KEYFILE.pub}):
 * <pre>
 * kadtorrent-ed25519-public-key-v1
 * 3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c
 * </pre>
 */
final class KeyFileText {

    /** Key files are a few dozen bytes; anything much larger is not one of ours. */
    private static final long MAX_FILE_BYTES = 4096;

    private KeyFileText() {
    }

    static String format(String header, byte[] key) {
        return header + "\n" + BaseEncoding.base16().lowerCase().encode(key) + "\n";
    }

    /** Reads {@code file}, checking its header and that it holds exactly {@code length} bytes of hex. */
    static byte[] read(Path file, String header, int length) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new KeyFileException(file + " is too large to be a key file");
        }
        return parse(file.toString(), Files.readString(file, US_ASCII), header, length);
    }

    static byte[] parse(String source, String text, String header, int length) throws KeyFileException {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.size() != 2 || !lines.get(0).equals(header)) {
            throw new KeyFileException(source + " is not a key file of kind '" + header + "'");
        }
        String hex = lines.get(1).toLowerCase(Locale.ROOT);
        if (hex.length() != length * 2 || !BaseEncoding.base16().lowerCase().canDecode(hex)) {
            throw new KeyFileException(source + ": key must be " + length * 2 + " hex digits");
        }
        return BaseEncoding.base16().lowerCase().decode(hex);
    }
}
