package io.kadtorrent.torrent.bencode;

/** A half-open byte range {@code [start, end)} of an encoded input. */
public record Span(int start, int end) {

    public Span {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span " + start + ".." + end);
        }
    }

    public int length() {
        return end - start;
    }
}
