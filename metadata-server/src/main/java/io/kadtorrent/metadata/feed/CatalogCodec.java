package io.kadtorrent.metadata.feed;

import io.kadtorrent.metadata.signing.CatalogSignature;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeDict;
import io.kadtorrent.torrent.bencode.BencodeFieldException;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.bencode.InvalidBencodeException;
import io.kadtorrent.torrent.bencode.RawBencode;
import io.kadtorrent.torrent.bencode.Span;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of {@code catalog.bencode}, the file a publisher's DHT catalog torrent holds:
 * <pre>
 * d
 *   7:catalog d                                  &lt;- signed: its exact bytes
 *     7:entries l d 4:date i..e 9:info_hash 20:.. 6:length i..e 4:name ..: 3:sig 64:.. e ... e
 *     9:publisher 32:&lt;Ed25519 public key&gt;
 *     7:updated i&lt;unix seconds&gt;e
 *     1:v i1e
 *   e
 *   3:sig 64:&lt;Ed25519 signature of "kadtorrent-catalog-v1" + the catalog value's bytes&gt;
 * e
 * </pre>
 * Each entry's {@code sig} is the publisher's signature of that torrent's {@code info} bytes. Decoding
 * checks size and structure limits first, then the publisher and the catalog signature, and only then
 * reads the entries. No I/O.
 */
public final class CatalogCodec {

    /** Largest catalog accepted: room for tens of thousands of entries, far below what would hurt. */
    public static final int MAX_BYTES = 8 << 20;
    /** Most entries one catalog may list. */
    public static final int MAX_ENTRIES = 50_000;
    static final long VERSION = 1;
    private static final BencodeLimits LIMITS = BencodeLimits.of(MAX_BYTES, 8, MAX_ENTRIES * 12 + 16);

    private CatalogCodec() {
    }

    /** Encodes {@code catalog} and signs it with {@code signer}, which must be its publisher's key. */
    public static byte[] encode(PublisherCatalog catalog, SigningKey signer) {
        if (!signer.publicKey().equals(catalog.publisher())) {
            throw new IllegalArgumentException("a catalog is signed by its own publisher");
        }
        if (catalog.torrents().size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("a catalog lists at most " + MAX_ENTRIES + " torrents");
        }
        List<Object> entries = new ArrayList<>();
        for (ListedTorrent t : catalog.torrents()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("date", t.dateSeconds());
            e.put("info_hash", t.infoHash().bytes());
            e.put("length", t.sizeBytes());
            e.put("name", t.name());
            e.put("sig", t.signature().signature());
            entries.add(e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", entries);
        body.put("publisher", catalog.publisher().bytes());
        body.put("updated", catalog.updatedSeconds());
        body.put("v", VERSION);
        byte[] bodyBytes = BencodeCodec.encode(body);
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("catalog", RawBencode.of(bodyBytes));
        top.put("sig", CatalogSignature.sign(signer, bodyBytes));
        byte[] encoded = BencodeCodec.encode(top);
        if (encoded.length > MAX_BYTES) {
            throw new IllegalArgumentException("the catalog would be " + encoded.length + " bytes, over " + MAX_BYTES);
        }
        return encoded;
    }

    /**
     * Decodes a catalog that must be {@code expected}'s and validly signed by it.
     *
     * @throws InvalidCatalogException naming what is wrong; nothing of a refused catalog is returned
     */
    public static PublisherCatalog decode(byte[] bytes, PublisherKey expected) throws InvalidCatalogException {
        if (bytes.length > MAX_BYTES) {
            throw new InvalidCatalogException("catalog is " + bytes.length + " bytes, over " + MAX_BYTES);
        }
        try {
            BencodeCodec.Decoded top = BencodeCodec.decodeDictionary(bytes, LIMITS);
            BencodeDict body = top.dict().dict("catalog");
            Span bodySpan = top.spans().get("catalog");
            byte[] sig = top.dict().bytes("sig");
            byte[] publisher = body.bytes("publisher");
            if (!Arrays.equals(publisher, expected.bytes())) {
                throw new InvalidCatalogException("catalog is published by another key, not " + expected.fingerprint());
            }
            byte[] signed = Arrays.copyOfRange(bytes, bodySpan.start(), bodySpan.end());
            if (!CatalogSignature.verifies(expected, signed, sig)) {
                throw new InvalidCatalogException("catalog signature does not verify with " + expected.fingerprint());
            }
            if (body.integer("v") != VERSION) {
                throw new InvalidCatalogException("catalog version " + body.integer("v") + " is not " + VERSION);
            }
            List<ListedTorrent> torrents = new ArrayList<>();
            for (BencodeDict e : body.dictList("entries")) {
                torrents.add(entry(e, expected));
            }
            if (torrents.size() > MAX_ENTRIES) {
                throw new InvalidCatalogException("catalog lists " + torrents.size() + " torrents, over " + MAX_ENTRIES);
            }
            return new PublisherCatalog(expected, body.integer("updated"), torrents);
        } catch (InvalidBencodeException e) {
            throw new InvalidCatalogException("catalog is not valid bencode: " + e.getMessage(), e);
        } catch (BencodeFieldException e) {
            throw new InvalidCatalogException("catalog field " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new InvalidCatalogException("catalog refused: " + e.getMessage(), e);
        }
    }

    private static ListedTorrent entry(BencodeDict e, PublisherKey publisher) throws BencodeFieldException {
        byte[] hash = e.bytes("info_hash");
        if (hash.length != InfoHash.LENGTH) {
            throw new BencodeFieldException(e.field("info_hash"), "must be 20 bytes");
        }
        byte[] sig = e.bytes("sig");
        if (sig.length != TorrentSignature.LENGTH) {
            throw new BencodeFieldException(e.field("sig"), "must be 64 bytes");
        }
        return new ListedTorrent(e.utf8("name"), InfoHash.of(hash), e.integer("length"), e.integer("date"),
                new TorrentSignature(publisher, sig));
    }
}
