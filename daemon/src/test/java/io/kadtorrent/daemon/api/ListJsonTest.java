package io.kadtorrent.daemon.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kadtorrent.daemon.Views.TorrentView;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class ListJsonTest {

    private static final ObjectMapper MAPPER = Json.mapper();

    private static TorrentView view(int i, double progress, long downRate, String state) {
        return new TorrentView("%040x".formatted(i), "t-" + i, 65_536, progress, state, i % 3, downRate, 0, 0, 0,
                (long) (65_536 * progress), 0.0, downRate > 0 ? 5L : null, "/data", "torrent", 1_700_000_000L + i,
                null, 65_536, 0, 0, false);
    }

    /**
     * Whatever the sequence of lists, each answer is exactly what the mapper writes for that list; a list equal to the
     * last one (a new list with equal views) gets the very same bytes back, a changed one new bytes.
     */
    @Property(tries = 200)
    void everyAnswerIsTheEncodingOfItsOwnList(@ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 3) Integer> changes)
            throws Exception {
        ListJson cache = new ListJson(MAPPER);
        List<TorrentView> views = new ArrayList<>(List.of(view(1, 1.0, 0, "seeding"), view(2, 0.5, 100, "downloading")));
        byte[] previous = null;
        List<TorrentView> previousViews = null;
        for (int change : changes) {
            switch (change) {
                case 0 -> { } // nothing changed
                case 1 -> views.set(1, view(2, views.get(1).progress() + 0.01, 100, "downloading"));
                case 2 -> views.add(view(views.size() + 1, 0.0, 0, "queued"));
                default -> views.set(0, view(1, 1.0, 0, "paused"));
            }
            List<TorrentView> asked = List.copyOf(views); // a fresh list, as each request builds
            byte[] answer = cache.encode(asked);
            assertArrayEquals(MAPPER.writeValueAsBytes(asked), answer);
            if (asked.equals(previousViews)) {
                assertSame(previous, answer);
            } else if (previous != null) {
                assertNotSame(previous, answer);
            }
            previous = answer;
            previousViews = asked;
        }
    }

    /** A caller that changes its list after asking does not change what the cache answers next. */
    @Property(tries = 20)
    void theCacheKeepsItsOwnCopyOfTheViews(@ForAll @IntRange(min = 1, max = 50) int n) throws Exception {
        ListJson cache = new ListJson(MAPPER);
        List<TorrentView> views = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            views.add(view(i, 1.0, 0, "seeding"));
        }
        byte[] first = cache.encode(views);
        views.set(0, view(0, 1.0, 0, "paused"));
        byte[] second = cache.encode(views);
        assertArrayEquals(MAPPER.writeValueAsBytes(views), second);
        assertNotSame(first, second);
    }
}
