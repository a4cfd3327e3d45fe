package io.kadtorrent.metadata.catalog;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NameSuggestionsProperties {

    /** The banded, cut-off distance agrees with the textbook full-matrix Levenshtein up to the limit. */
    @Property
    void bandedDistanceMatchesTheFullMatrixUpToTheLimit(@ForAll("shortText") String a, @ForAll("shortText") String b,
                                                        @ForAll @IntRange(min = 0, max = 4) int limit) {
        assertEquals(Math.min(fullLevenshtein(a, b), limit + 1), NameSuggestions.editDistance(a, b, limit));
    }

    @Property
    void suggestionsAreAtMostMaxDistinctCatalogNamesNeverTheAskedOne(@ForAll("names") List<String> names,
                                                                     @ForAll("shortText") String asked,
                                                                     @ForAll @IntRange(min = 0, max = 5) int max) {
        List<String> distinct = names.stream().distinct().toList();
        List<String> out = NameSuggestions.closest(asked, distinct, max);
        assertTrue(out.size() <= max);
        assertTrue(distinct.containsAll(out));
        assertFalse(out.contains(asked));
        assertEquals(out.size(), out.stream().distinct().count());
    }

    @Provide
    Arbitrary<String> shortText() {
        return Arbitraries.strings().withChars("abcAB -1").ofMaxLength(12);
    }

    @Provide
    Arbitrary<List<String>> names() {
        return shortText().list().ofMaxSize(30);
    }

    private static int fullLevenshtein(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
            }
        }
        return d[a.length()][b.length()];
    }
}
