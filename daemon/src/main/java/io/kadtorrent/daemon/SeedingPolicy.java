package io.kadtorrent.daemon;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * When torrents stop seeding, and how many run at once: the daemon's settings, remembered in the state
 * folder ({@code policy.json}). Zero means "no limit" everywhere.
 *
 * @param seedRatio          a complete torrent stops seeding once it uploaded this many times its size
 * @param seedMinutes        ... once it seeded this long
 * @param idleMinutes        ... once nobody downloaded from it for this long
 * @param activeDownloads    at most this many torrents download at once; the others wait, first added first
 * @param activeSeeds        at most this many torrents seed at once; the others wait
 */
public record SeedingPolicy(@JsonProperty("seed_ratio") double seedRatio,
                            @JsonProperty("seed_minutes") long seedMinutes,
                            @JsonProperty("idle_minutes") long idleMinutes,
                            @JsonProperty("active_downloads") int activeDownloads,
                            @JsonProperty("active_seeds") int activeSeeds) {

    public static final SeedingPolicy NONE = new SeedingPolicy(0, 0, 0, 0, 0);

    public SeedingPolicy {
        if (!(seedRatio >= 0) || seedMinutes < 0 || idleMinutes < 0 || activeDownloads < 0 || activeSeeds < 0) {
            throw new IllegalArgumentException("seeding limits and queue sizes must be >= 0 (0: no limit)");
        }
    }

    /** Why a complete torrent should stop seeding now, or null while it may go on. */
    String stopReason(double ratio, long seedingSeconds, long idleSeconds) {
        if (seedRatio > 0 && ratio >= seedRatio) {
            return String.format(java.util.Locale.ROOT, "ratio %.2f reached", seedRatio);
        }
        if (seedMinutes > 0 && seedingSeconds >= seedMinutes * 60) {
            return "seeded " + seedMinutes + " min";
        }
        if (idleMinutes > 0 && idleSeconds >= idleMinutes * 60) {
            return "idle " + idleMinutes + " min";
        }
        return null;
    }
}
