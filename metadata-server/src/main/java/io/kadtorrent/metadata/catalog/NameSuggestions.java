package io.kadtorrent.metadata.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Picks the catalog names closest to a name that matched nothing, for a "did you mean" answer.
 * Ranks, best first: the same name in another case; names containing the asked text; names
 * containing every word asked; names at most a few edits (Levenshtein) away, ignoring case.
 * Immutable: built once per catalog snapshot with the names already lower-cased, so one query
 * is a single pass without allocation per name (it runs on an event loop, like a search).
 */
final class NameSuggestions {

    /** Words shorter than this are ignored for word matching ("a", "-"). */
    static final int MIN_WORD_CHARS = 2;
    /** Most edits a suggestion may be away; fewer for short names, where 3 edits change everything. */
    static final int MAX_EDITS = 3;
    /** Names longer than this are not compared by edit distance (cost is length times edits). */
    static final int MAX_EDIT_CHARS = 256;

    private record Scored(String name, int score) {
    }

    private final List<String> names;
    private final String[] lowerNames;

    private NameSuggestions(List<String> names) {
        this.names = List.copyOf(names);
        this.lowerNames = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toArray(String[]::new);
    }

    /** Suggestions among {@code names} (distinct). */
    static NameSuggestions of(List<String> names) {
        return new NameSuggestions(names);
    }

    /** As {@link #closest(String, int)} over {@code names}, for tests. */
    static List<String> closest(String asked, List<String> names, int max) {
        return of(names).closest(asked, max);
    }

    /** Up to {@code max} names close to {@code asked}, best first, never {@code asked} itself. */
    List<String> closest(String asked, int max) {
        String lower = asked.toLowerCase(Locale.ROOT);
        String[] words = Arrays.stream(lower.split("[^\\p{L}\\p{N}]+"))
                .filter(w -> w.length() >= MIN_WORD_CHARS).toArray(String[]::new);
        // One edit per three characters, 1..3: "fotos" finds "photos", "iso" does not find "ios".
        int maxEdits = Math.min(MAX_EDITS, Math.max(1, (lower.length() + 1) / 3));
        EditDistance distance = new EditDistance();
        List<Scored> hits = new ArrayList<>();
        for (int i = 0; i < lowerNames.length; i++) {
            int score = score(lower, words, maxEdits, lowerNames[i], distance);
            if (score >= 0 && !names.get(i).equals(asked)) {
                hits.add(new Scored(names.get(i), score));
            }
        }
        hits.sort(Comparator.comparingInt(Scored::score).thenComparing(Scored::name));
        return hits.stream().limit(max).map(Scored::name).toList();
    }

    /** Lower is closer; -1 when {@code name} is not close at all. */
    private static int score(String asked, String[] words, int maxEdits, String name, EditDistance distance) {
        if (name.equals(asked)) {
            return 0;
        }
        if (name.contains(asked)) {
            return 1;
        }
        if (containsAll(name, words)) {
            return 2;
        }
        int edits = distance.between(asked, name, maxEdits);
        return edits <= maxEdits ? 3 + edits : -1;
    }

    private static boolean containsAll(String name, String[] words) {
        if (words.length == 0) {
            return false;
        }
        for (String w : words) {
            if (!name.contains(w)) {
                return false;
            }
        }
        return true;
    }

    static int editDistance(String a, String b, int limit) {
        return new EditDistance().between(a, b, limit);
    }

    /**
     * Levenshtein distance with a cut-off, computing only the diagonal band |i - j| <= limit (a
     * cell outside it is already over the limit), reusing its two rows across calls; one thread.
     */
    private static final class EditDistance {
        private final int[] previous = new int[MAX_EDIT_CHARS + 2];
        private final int[] current = new int[MAX_EDIT_CHARS + 2];

        /** The distance of {@code a} and {@code b}, or {@code limit + 1} as soon as it must exceed it. */
        int between(String a, String b, int limit) {
            int m = a.length();
            int n = b.length();
            if (Math.abs(m - n) > limit || m > MAX_EDIT_CHARS || n > MAX_EDIT_CHARS) {
                return limit + 1;
            }
            int over = limit + 1; // every value is capped here: "more than the limit"
            int[] prev = previous;
            int[] cur = current;
            for (int j = 0; j <= n; j++) {
                prev[j] = Math.min(j, over);
            }
            for (int i = 1; i <= m; i++) {
                int lo = Math.max(1, i - limit);
                int hi = Math.min(n, i + limit);
                cur[lo - 1] = lo == 1 ? Math.min(i, over) : over;
                if (hi + 1 <= n) {
                    cur[hi + 1] = over; // left from an older row: outside this band
                }
                if (i + limit <= n) {
                    prev[i + limit] = over; // the previous row's band ended one cell earlier
                }
                int rowMin = cur[lo - 1];
                for (int j = lo; j <= hi; j++) {
                    int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                    int value = Math.min(over, Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1));
                    cur[j] = value;
                    rowMin = Math.min(rowMin, value);
                }
                if (rowMin > limit) {
                    return over; // every later row is at least this large
                }
                int[] swap = prev;
                prev = cur;
                cur = swap;
            }
            return prev[n];
        }
    }
}
