package io.kadtorrent.engine.ext;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtensionCodecTest {

    private static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }

    @Test
    void decodesLibtorrentStyleHandshake() throws Exception {
        byte[] payload = bytes("d"
                + "1:md11:ut_metadatai2e6:ut_pexi1e11:lt_donthavei0ee" // lt_donthave disabled by id 0
                + "13:metadata_sizei31235e"
                + "1:pi6881e"
                + "4:reqqi500e"
                + "1:v16:libtorrent 2.0.8"
                + "11:upload_onlyi1e"                                   // BEP 21
                + "6:yourip4:\u007f\0\0\1"                              // how it sees us: 127.0.0.1
                + "e");
        ExtensionHandshake h = (ExtensionHandshake) ExtensionCodec.decode(0, payload).orElseThrow();
        assertEquals(Map.of("ut_metadata", 2, "ut_pex", 1), h.extensionIds());
        assertEquals(OptionalInt.of(31_235), h.metadataSizeBytes());
        assertEquals(OptionalInt.of(6881), h.listenPort());
        assertEquals(OptionalInt.of(500), h.requestQueueDepth());
        assertEquals(Optional.of("libtorrent 2.0.8"), h.client());
        assertEquals(OptionalInt.of(2), h.idOf(ExtensionHandshake.UT_METADATA));
        assertTrue(h.servesMetadata());
        assertTrue(h.uploadOnly());
        assertEquals(Optional.of(InetAddress.getByName("127.0.0.1")), h.yourIp());
    }

    @Test
    void encodesYourIpCompactAndUploadOnlyOnlyWhenSet() throws Exception {
        ExtensionHandshake ours = ExtensionHandshake.ours("k", 0, 0, 10)
                .withYourIp(InetAddress.getByName("10.1.2.3")).withUploadOnly(true);
        assertEquals("d1:md11:ut_metadatai3e6:ut_pexi1ee4:reqqi10e11:upload_onlyi1e1:v1:k"
                + "6:yourip4:\n\u0001\u0002\u0003e", new String(ExtensionCodec.encode(ours), ISO_8859_1));
        byte[] v6 = ExtensionCodec.encode(ours.withYourIp(InetAddress.getByName("::1")).withUploadOnly(false));
        ExtensionHandshake back = (ExtensionHandshake) ExtensionCodec.decode(0, v6).orElseThrow();
        assertEquals(Optional.of(InetAddress.getByName("::1")), back.yourIp());
        assertFalse(back.uploadOnly());
        assertFalse(new String(v6, ISO_8859_1).contains("upload_only"));
    }

    @Test
    void longClientNameIsCutBeforeAnEmojiRatherThanThroughIt() throws Exception {
        // 63 ASCII chars then an emoji (two chars): cutting at 64 chars used to keep half of it (ExtensionCodecFuzzTest)
        String name = "x".repeat(63) + "\uD83D\uDE00" + "tail";
        byte[] v = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] payload = bytes("d1:mde1:v" + v.length + ":" + new String(v, ISO_8859_1) + "e");
        ExtensionHandshake h = (ExtensionHandshake) ExtensionCodec.decode(0, payload).orElseThrow();
        assertEquals(Optional.of("x".repeat(63)), h.client());
        assertEquals(h, ExtensionCodec.decode(0, ExtensionCodec.encode(h)).orElseThrow());
    }

    @Test
    void handshakeWithoutUsableMetadataSizeIsNoMetadataSource() throws Exception {
        byte[] payload = bytes("d1:md11:ut_metadatai2ee13:metadata_sizei999999999ee");
        ExtensionHandshake h = (ExtensionHandshake) ExtensionCodec.decode(0, payload).orElseThrow();
        assertEquals(OptionalInt.empty(), h.metadataSizeBytes());
        assertFalse(h.servesMetadata());
    }

    @Test
    void encodesOurHandshakeWithSortedKeys() {
        ExtensionHandshake ours = ExtensionHandshake.ours("kadtorrent 0.1", 6881, 1_000, 250);
        assertEquals("d1:md11:ut_metadatai3e6:ut_pexi1ee13:metadata_sizei1000e1:pi6881e4:reqqi250e1:v14:kadtorrent 0.1e",
                new String(ExtensionCodec.encode(ours), ISO_8859_1));
    }

    @Test
    void decodesDataMessageFollowedByRawPiece() throws Exception {
        byte[] payload = bytes("d8:msg_typei1e5:piecei0e10:total_sizei5eehello");
        MetadataMessage m = (MetadataMessage) ExtensionCodec.decode(ExtensionCodec.UT_METADATA_ID, payload).orElseThrow();
        MetadataMessage.Data data = (MetadataMessage.Data) m;
        assertEquals(0, data.piece());
        assertEquals(5, data.totalSizeBytes());
        assertArrayEquals(bytes("hello"), data.data());
        assertArrayEquals(payload, ExtensionCodec.encode(data));
    }

    @Test
    void decodesRequestAndReject() throws Exception {
        assertEquals(Optional.of(new MetadataMessage.Request(7)),
                ExtensionCodec.decode(ExtensionCodec.UT_METADATA_ID, bytes("d8:msg_typei0e5:piecei7ee")));
        assertEquals(Optional.of(new MetadataMessage.Reject(1)),
                ExtensionCodec.decode(ExtensionCodec.UT_METADATA_ID, bytes("d8:msg_typei2e5:piecei1ee")));
    }

    @Test
    void ignoresUnknownExtensionIdsAndMessageTypes() throws Exception {
        assertEquals(Optional.empty(), ExtensionCodec.decode(42, bytes("whatever")));
        // BEP 9: an unrecognised msg_type must be ignored
        assertEquals(Optional.empty(),
                ExtensionCodec.decode(ExtensionCodec.UT_METADATA_ID, bytes("d8:msg_typei9e5:piecei0ee")));
    }

    @Test
    void rejectsDataWhoseLengthDisagreesWithTotalSize() {
        ExtensionProtocolException e = assertThrows(ExtensionProtocolException.class, () -> ExtensionCodec.decode(
                ExtensionCodec.UT_METADATA_ID, bytes("d8:msg_typei1e5:piecei0e10:total_sizei5eehell")));
        assertTrue(e.getMessage().contains("has 4 bytes, expected 5"), e.getMessage());
    }

    @Test
    void rejectsPieceBeyondTotalSizeAndHugeTotalSize() {
        assertThrows(ExtensionProtocolException.class, () -> ExtensionCodec.decode(
                ExtensionCodec.UT_METADATA_ID, bytes("d8:msg_typei1e5:piecei1e10:total_sizei5eehello")));
        assertThrows(ExtensionProtocolException.class, () -> ExtensionCodec.decode(
                ExtensionCodec.UT_METADATA_ID, bytes("d8:msg_typei1e5:piecei0e10:total_sizei99999999999eehello")));
        assertThrows(ExtensionProtocolException.class, () -> ExtensionCodec.decode(
                ExtensionCodec.UT_METADATA_ID, bytes("d8:msg_typei0e5:piecei-1ee")));
    }

    @Test
    void rejectsMissingFieldsAndTrailingBytesOnRequests() {
        assertThrows(ExtensionProtocolException.class, () -> ExtensionCodec.decode(
                ExtensionCodec.UT_METADATA_ID, bytes("d8:msg_typei0ee")));
        assertThrows(ExtensionProtocolException.class, () -> ExtensionCodec.decode(
                ExtensionCodec.UT_METADATA_ID, bytes("d8:msg_typei0e5:piecei0eextra")));
        assertThrows(ExtensionProtocolException.class, () -> ExtensionCodec.decode(
                ExtensionCodec.HANDSHAKE_ID, bytes("d1:m5:helloe")));
        assertThrows(ExtensionProtocolException.class, () -> ExtensionCodec.decode(
                ExtensionCodec.HANDSHAKE_ID, bytes("l1:me")));
    }
}
