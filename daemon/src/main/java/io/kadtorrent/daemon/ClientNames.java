package io.kadtorrent.daemon;

import java.util.Map;

/**
 * The client a peer_id names, by the common conventions: Azureus style {@code -XXvvvv-} (two letters for the
 * client, four version characters) and Mainline style {@code Mv-v-v--}. Unknown ids show their printable
 * prefix, so nothing a peer sends is hidden or trusted beyond display.
 */
final class ClientNames {

    private static final Map<String, String> AZUREUS = Map.ofEntries(
            Map.entry("LT", "libtorrent"), Map.entry("lt", "libTorrent (rakshasa)"), Map.entry("TR", "Transmission"),
            Map.entry("qB", "qBittorrent"), Map.entry("DE", "Deluge"), Map.entry("UT", "µTorrent"),
            Map.entry("BT", "BitTorrent"), Map.entry("AZ", "Vuze"), Map.entry("KT", "KTorrent"),
            Map.entry("KD", "kadtorrent"), Map.entry("BI", "BiglyBT"), Map.entry("RQ", "rqbit"),
            Map.entry("TX", "Tixati"), Map.entry("FD", "Free Download Manager"), Map.entry("WW", "WebTorrent"));

    private ClientNames() {
    }

    static String of(byte[] peerId) {
        if (peerId == null || peerId.length < 8) {
            return "unknown";
        }
        if (peerId[0] == '-' && peerId[7] == '-') {
            String code = ascii(peerId, 1, 3);
            String version = ascii(peerId, 3, 7);
            String name = AZUREUS.get(code);
            return (name != null ? name : code) + " " + version(version);
        }
        if (peerId[0] == 'A' && peerId[1] == '2' && peerId[2] == '-') {
            return "aria2 " + ascii(peerId, 3, 10).replaceAll("-+$", "").replace('-', '.');
        }
        if (peerId[0] == 'M' && Character.isDigit(peerId[1])) {
            return "BitTorrent " + ascii(peerId, 1, 8).replaceAll("-+$", "").replace('-', '.');
        }
        return ascii(peerId, 0, 8);
    }

    /** {@code 1234} -> {@code 1.2.3.4}; trailing zeros kept short: {@code 2000} -> {@code 2.0.0}. */
    private static String version(String v) {
        if (!v.chars().allMatch(Character::isLetterOrDigit)) {
            return v;
        }
        StringBuilder out = new StringBuilder();
        int last = v.length();
        while (last > 3 && v.charAt(last - 1) == '0') {
            last--;
        }
        for (int i = 0; i < last; i++) {
            if (i > 0) {
                out.append('.');
            }
            out.append(Character.isDigit(v.charAt(i)) ? String.valueOf(v.charAt(i))
                    : String.valueOf(Character.toUpperCase(v.charAt(i)) - 'A' + 10));
        }
        return out.toString();
    }

    /** Printable ASCII of {@code b[from, to)}; anything else as {@code ?}. */
    private static String ascii(byte[] b, int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < Math.min(to, b.length); i++) {
            out.append(b[i] >= 0x20 && b[i] < 0x7f ? (char) b[i] : '?');
        }
        return out.toString();
    }
}
