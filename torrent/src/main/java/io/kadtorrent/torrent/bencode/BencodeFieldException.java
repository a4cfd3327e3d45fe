package io.kadtorrent.torrent.bencode;

/** A well-formed bencoded value whose field is missing or of the wrong type; names the field path. */
public final class BencodeFieldException extends Exception {

    private final String field;

    public BencodeFieldException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    /** Dotted path of the offending field, e.g. {@code info.piece length}. */
    public String field() {
        return field;
    }
}
