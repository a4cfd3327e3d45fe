package io.kadtorrent.engine.swarm;

/**
 * When the swarm core asks its runtime to save resume data: each minute while pieces get verified, at once on
 * completion, and forced to disk a little after it. Confined to the core's thread.
 */
final class ResumeSaves {

    /** While downloading, resume data is saved (unforced) this often when pieces were verified since. */
    static final long SAVE_EVERY_MILLIS = 60_000;
    /** Once complete, the data is forced to disk this much later, off the path of a user who exits at once. */
    static final long FORCED_SAVE_DELAY_MILLIS = 30_000;

    private final Outbox out;
    private long nextSaveAt;
    private long forcedSaveAt = Long.MAX_VALUE;
    private boolean verifiedSinceSave;

    ResumeSaves(Outbox out, long now) {
        this.out = out;
        this.nextSaveAt = now + SAVE_EVERY_MILLIS;
    }

    void pieceVerified() {
        verifiedSinceSave = true;
    }

    /** Every wanted piece is verified: saved at once, costing nothing the user waits for, and forced later. */
    void completed(long now) {
        out.add(new SwarmAction.SaveResume(false));
        forcedSaveAt = now + FORCED_SAVE_DELAY_MILLIS;
    }

    /** The saves due by {@code now}; none once the torrent is {@code stopped}. */
    void timer(long now, boolean complete, boolean stopped) {
        if (now >= nextSaveAt) {
            nextSaveAt = now + SAVE_EVERY_MILLIS;
            if (verifiedSinceSave && !complete && !stopped) {
                verifiedSinceSave = false;
                out.add(new SwarmAction.SaveResume(false)); // a killed process then loses at most a minute
            }
        }
        if (now >= forcedSaveAt && !stopped) {
            forcedSaveAt = Long.MAX_VALUE;
            out.add(new SwarmAction.SaveResume(true));
        }
    }
}
