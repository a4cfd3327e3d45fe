package io.kadtorrent.metadata.catalog;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NameSuggestionsTest {

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, NameSuggestions.editDistance("photos", "photos", 3));
        assertEquals(2, NameSuggestions.editDistance("fotos", "photos", 3));
        assertEquals(1, NameSuggestions.editDistance("photo", "photos", 3));
        assertEquals(3, NameSuggestions.editDistance("kitten", "sitting", 3));
    }

    @Test
    void editDistanceStopsAtTheLimit() {
        assertEquals(2, NameSuggestions.editDistance("abcdef", "uvwxyz", 1));
        assertEquals(2, NameSuggestions.editDistance("a", "abcdefgh", 1));
        String huge = "x".repeat(NameSuggestions.MAX_EDIT_CHARS + 1);
        assertEquals(4, NameSuggestions.editDistance(huge, huge, 3));
    }

    @Test
    void theAskedNameItselfAndShortWordsAreNotSuggestions() {
        assertEquals(List.of("Movie"), NameSuggestions.closest("movie", List.of("movie", "Movie"), 5));
        // "a" is too short to be a word: it does not pull in every name with an a.
        assertEquals(List.of(), NameSuggestions.closest("a b", List.of("banana", "cabbage"), 5));
    }

    @Test
    void atMostTheAskedNumberBestFirst() {
        List<String> names = List.of("show s01e03", "show s01e01", "show s01e02", "show s02e01", "Show S01E01", "other");
        assertEquals(List.of("Show S01E01", "show s01e02", "show s01e03"), NameSuggestions.closest("show s01e01", names, 3));
    }
}
