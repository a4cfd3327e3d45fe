package io.kadtorrent.metadata.signing;

import com.google.common.io.BaseEncoding;

import java.util.List;

/**
 * The text form of a {@link TorrentSignature} kept beside each catalog torrent
 * ({@code <info_hash hex>.sig}):
 * <pre>
 * kadtorrent-signature-v1
 * key 3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c
 * signature 9a0f...(128 hex digits)
 * </pre>
 */
public final class SignatureFileText {

    static final String HEADER = "kadtorrent-signature-v1";

    private SignatureFileText() {
    }

    public static String format(TorrentSignature s) {
        return HEADER + "\nkey " + s.key().hex() + "\nsignature "
                + BaseEncoding.base16().lowerCase().encode(s.signature()) + "\n";
    }

    /** Parses {@link #format} output; {@code source} names the file in the error message. */
    public static TorrentSignature parse(String source, String text) throws KeyFileException {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.size() != 3 || !lines.get(0).equals(HEADER)
                || !lines.get(1).startsWith("key ") || !lines.get(2).startsWith("signature ")) {
            throw new KeyFileException(source + " is not a " + HEADER + " file");
        }
        byte[] key = hex(source, lines.get(1).substring(4), PublisherKey.LENGTH);
        byte[] sig = hex(source, lines.get(2).substring(10), TorrentSignature.LENGTH);
        return new TorrentSignature(PublisherKey.of(key), sig);
    }

    private static byte[] hex(String source, String hex, int length) throws KeyFileException {
        if (hex.length() != length * 2 || !BaseEncoding.base16().lowerCase().canDecode(hex)) {
            throw new KeyFileException(source + ": expected " + length * 2 + " lower-case hex digits");
        }
        return BaseEncoding.base16().lowerCase().decode(hex);
    }
}
