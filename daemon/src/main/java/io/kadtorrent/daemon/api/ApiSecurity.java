package io.kadtorrent.daemon.api;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use the API. Every request must name one of our own addresses in {@code Host} (a page on another
 * site that rebinds its DNS name to 127.0.0.1 still sends its own name: the DNS rebinding attack on torrent
 * RPC ports), must not come from a foreign {@code Origin}, and must carry the token from the state folder
 * as {@code Authorization: Bearer TOKEN} or in the web UI's cookie. A request authorised only by the cookie
 * that changes something must also name our origin.
 */
public final class ApiSecurity {

    private final byte[] token;
    private final Set<String> hosts;
    private final String cookie;

    /** A verdict: 0 when allowed, else the HTTP status and why. */
    public record Verdict(int status, String reason) {
        static final Verdict OK = new Verdict(0, "");

        public boolean allowed() {
            return status == 0;
        }
    }

    /** {@code port} names the UI's cookie: cookies ignore ports, and two daemons on one host must not share one. */
    public ApiSecurity(String token, Set<String> allowedHosts, int port) {
        this.token = token.getBytes(StandardCharsets.US_ASCII);
        this.hosts = Set.copyOf(allowedHosts);
        this.cookie = "kadtorrent_token_" + port;
    }

    /** The web UI's cookie, set by {@code /login}. */
    public String cookieFor(String validToken) {
        return cookie + "=" + validToken + "; Path=/; HttpOnly; SameSite=Strict";
    }

    /**
     * The {@code host:port} names a client may use for a server bound to {@code bound} on {@code port}: the
     * loopback names, and the address itself (every interface's address for a wildcard bind).
     */
    public static Set<String> hostsFor(InetAddress bound, int port) {
        Set<String> out = new HashSet<>();
        out.add("localhost:" + port);
        out.add("127.0.0.1:" + port);
        out.add("[::1]:" + port);
        if (bound.isAnyLocalAddress()) {
            try {
                for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                        out.add(hostPort(a, port));
                    }
                }
            } catch (SocketException e) {
                // only the loopback names then
            }
        } else {
            out.add(hostPort(bound, port));
        }
        return out;
    }

    private static String hostPort(InetAddress a, int port) {
        String h = a.getHostAddress();
        int zone = h.indexOf('%');
        if (zone >= 0) {
            h = h.substring(0, zone);
        }
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }

    /** Host and Origin: checked for every request, static files included. */
    public Verdict checkSite(String host, String origin) {
        if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
            return new Verdict(403, "Host " + (host == null ? "(none)" : "'" + host + "'")
                    + " is not this daemon's address; use http://127.0.0.1:<port>/");
        }
        if (origin != null && !isOurOrigin(origin)) {
            return new Verdict(403, "requests from origin '" + origin + "' are refused");
        }
        return Verdict.OK;
    }

    private boolean isOurOrigin(String origin) {
        String lower = origin.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") && hosts.contains(lower.substring("http://".length()));
    }

    /** The token, from the Authorization header or the UI's cookie; {@code changes} for anything but a read. */
    public Verdict checkToken(String authorization, String cookieHeader, String origin, boolean changes) {
        if (authorization != null) {
            String prefix = "Bearer ";
            if (authorization.regionMatches(true, 0, prefix, 0, prefix.length())
                    && matches(authorization.substring(prefix.length()).trim())) {
                return Verdict.OK;
            }
            return new Verdict(401, "wrong token");
        }
        Optional<String> fromCookie = cookie(cookieHeader);
        if (fromCookie.isPresent() && matches(fromCookie.get())) {
            if (changes && origin == null) {
                return new Verdict(403, "a change authorised by cookie must come from the web UI (no Origin)");
            }
            return Verdict.OK;
        }
        return new Verdict(401, "no token: send 'Authorization: Bearer <token>' (the token is in the state folder)");
    }

    /**
     * The key of a stream URL for one torrent: whoever has it may read that torrent's files and nothing else,
     * so a player can open the URL as it is. Derived from the token (HMAC-SHA256), so it changes with it.
     */
    public String streamKey(String infoHashHex) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(token, "HmacSHA256"));
            byte[] sig = mac.doFinal(("kadtorrent-stream-v1:" + infoHashHex).getBytes(StandardCharsets.US_ASCII));
            return java.util.HexFormat.of().formatHex(sig, 0, 16);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    /** True when {@code candidate} is the stream key of {@code infoHashHex}. */
    public boolean matchesStreamKey(String infoHashHex, String candidate) {
        return candidate != null && MessageDigest.isEqual(streamKey(infoHashHex).getBytes(StandardCharsets.US_ASCII),
                candidate.getBytes(StandardCharsets.US_ASCII));
    }

    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.US_ASCII));
    }

    Optional<String> cookie(String header) {
        if (header == null) {
            return Optional.empty();
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(cookie + "=")) {
                return Optional.of(p.substring(cookie.length() + 1));
            }
        }
        return Optional.empty();
    }
}
