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
 * Pure function of its arguments.
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

    private NameSuggestions() {
    }

    static List<String> closest(String asked, List<String> names, int max) {
        String lower = asked.toLowerCase(Locale.ROOT);
        List<String> words = Arrays.stream(lower.split("[^\\p{L}\\p{N}]+"))
                .filter(w -> w.length() >= MIN_WORD_CHARS).toList();
        // One edit per three characters, 1..3: "fotos" finds "photos", "iso" does not find "ios".
        int maxEdits = Math.min(MAX_EDITS, Math.max(1, (lower.length() + 1) / 3));
        List<Scored> hits = new ArrayList<>();
        for (String name : names) {
            int score = score(lower, words, maxEdits, name.toLowerCase(Locale.ROOT));
            if (score >= 0 && !name.equals(asked)) {
                hits.add(new Scored(name, score));
            }
        }
        hits.sort(Comparator.comparingInt(Scored::score).thenComparing(Scored::name));
        return hits.stream().limit(max).map(Scored::name).toList();
    }

    /** Lower is closer; -1 when {@code name} is not close at all. */
    private static int score(String asked, List<String> words, int maxEdits, String name) {
        if (name.equals(asked)) {
            return 0;
        }
        if (name.contains(asked)) {
            return 1;
        }
        if (!words.isEmpty() && words.stream().allMatch(name::contains)) {
            return 2;
        }
        int edits = editDistance(asked, name, maxEdits);
        return edits <= maxEdits ? 3 + edits : -1;
    }

    /** Levenshtein distance of {@code a} and {@code b}, or {@code limit + 1} as soon as it must exceed it. */
    static int editDistance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) > limit || a.length() > MAX_EDIT_CHARS || b.length() > MAX_EDIT_CHARS) {
            return limit + 1;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMin = current[0];
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
                rowMin = Math.min(rowMin, current[j]);
            }
            if (rowMin > limit) {
                return limit + 1; // every later row is at least this large
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return Math.min(previous[b.length()], limit + 1);
    }
}
