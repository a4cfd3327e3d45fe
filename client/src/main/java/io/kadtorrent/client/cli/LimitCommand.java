package io.kadtorrent.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code limit}: shows or sets the daemon's rate limits and seeding policy, or one torrent's own rate limits. */
@Command(name = "limit", mixinStandardHelpOptions = true,
        description = {"Show or set rate limits: the daemon's (shared by all torrents) or, with ID, one torrent's own.",
                "RATE is bytes per second with K/M/G binary units (500K, 2MiB); 0 removes the limit. Headers count."},
        footerHeading = "%nExamples:%n",
        footer = {"  kadtorrent limit --up 1M --down 5M", "  kadtorrent limit movie --up 200K", "  kadtorrent limit"})
final class LimitCommand extends RemoteCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "A torrent (default: the whole daemon).")
    String id;

    @Option(names = "--up", paramLabel = "RATE", converter = RateConverter.class, description = "Upload limit.")
    Long up;

    @Option(names = "--down", paramLabel = "RATE", converter = RateConverter.class, description = "Download limit.")
    Long down;

    @Option(names = "--ratio", paramLabel = "R", description = "Daemon: a complete torrent stops seeding at this upload ratio (0: never).")
    Double ratio;

    @Option(names = "--seed-minutes", paramLabel = "M", description = "Daemon: ... after seeding this long (0: never).")
    Long seedMinutes;

    @Option(names = "--idle-minutes", paramLabel = "M", description = "Daemon: ... after nobody downloaded from it this long (0: never).")
    Long idleMinutes;

    @Option(names = "--downloads", paramLabel = "N", description = "Daemon: at most N torrents download at once, the others queue (0: no limit).")
    Integer downloads;

    @Option(names = "--seeds", paramLabel = "N", description = "Daemon: at most N torrents seed at once (0: no limit).")
    Integer seeds;

    @Override
    void run(DaemonClient daemon) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        if (up != null) {
            body.put("upload_bytes_per_second", up);
        }
        if (down != null) {
            body.put("download_bytes_per_second", down);
        }
        boolean change = !body.isEmpty();
        boolean policyChange = ratio != null || seedMinutes != null || idleMinutes != null || downloads != null
                || seeds != null;
        JsonNode r;
        if (id == null) {
            r = change ? daemon.post("/api/v1/session/limits", body) : daemon.get("/api/v1/session");
            out().println("daemon: " + limits(r));
            JsonNode p = daemon.get("/api/v1/session/policy");
            if (policyChange) {
                Map<String, Object> next = new LinkedHashMap<>();
                next.put("seed_ratio", ratio != null ? ratio : p.get("seed_ratio").asDouble());
                next.put("seed_minutes", seedMinutes != null ? seedMinutes : p.get("seed_minutes").asLong());
                next.put("idle_minutes", idleMinutes != null ? idleMinutes : p.get("idle_minutes").asLong());
                next.put("active_downloads", downloads != null ? downloads : p.get("active_downloads").asInt());
                next.put("active_seeds", seeds != null ? seeds : p.get("active_seeds").asInt());
                p = daemon.post("/api/v1/session/policy", next);
            }
            out().println("seeding stops at: " + stopAt(p));
            out().println("at once: " + count(p.get("active_downloads").asInt()) + " downloading, "
                    + count(p.get("active_seeds").asInt()) + " seeding");
        } else if (policyChange) {
            throw new ParameterException(spec.commandLine(), "--ratio, --seed-minutes, --idle-minutes, --downloads"
                    + " and --seeds are the daemon's: give no ID");
        } else {
            r = change ? daemon.post(path(id) + "/limits", body) : daemon.get(path(id)).get("torrent");
            out().println(r.get("name").asText() + ": " + limits(r));
        }
    }

    private static String limits(JsonNode v) {
        return "up " + rate(v.get("upload_limit").asLong()) + ", down " + rate(v.get("download_limit").asLong());
    }

    private static String stopAt(JsonNode p) {
        List<String> when = new ArrayList<>();
        if (p.get("seed_ratio").asDouble() > 0) {
            when.add(String.format(Locale.ROOT, "ratio %.2f", p.get("seed_ratio").asDouble()));
        }
        if (p.get("seed_minutes").asLong() > 0) {
            when.add(p.get("seed_minutes").asLong() + " min seeded");
        }
        if (p.get("idle_minutes").asLong() > 0) {
            when.add(p.get("idle_minutes").asLong() + " min idle");
        }
        return when.isEmpty() ? "never" : String.join(", ", when);
    }

    private static String count(int n) {
        return n == 0 ? "any number" : String.valueOf(n);
    }

    private static String rate(long bytesPerSecond) {
        return bytesPerSecond == 0 ? "unlimited" : ByteSize.formatRate(bytesPerSecond);
    }
}
