package io.kadtorrent.engine.ext;

import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MetadataServingTest {

    private final Metainfo torrent = TestTorrents.withPieces(1_000, 7);
    private final MetadataServing serving = MetadataServing.of(torrent);

    @Test
    void piecesConcatenateToTheExactInfoBytes() {
        MetadataLayout layout = new MetadataLayout(serving.metadataSizeBytes());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < layout.pieceCount(); i++) {
            MetadataMessage.Data d = (MetadataMessage.Data) serving.answer(new MetadataMessage.Request(i));
            assertEquals(torrent.rawInfo().length, d.totalSizeBytes());
            out.writeBytes(d.data());
        }
        assertArrayEquals(torrent.rawInfo(), out.toByteArray());
    }

    @Test
    void rejectsPieceBeyondTheMetadata() {
        int pieces = new MetadataLayout(serving.metadataSizeBytes()).pieceCount();
        assertEquals(new MetadataMessage.Reject(pieces), serving.answer(new MetadataMessage.Request(pieces)));
    }
}
