package io.kadtorrent.engine.session;

import io.kadtorrent.engine.storage.FilePieceStore;
import io.kadtorrent.engine.storage.PieceStore;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.engine.wire.BlockData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.kadtorrent.engine.wire.ByteBufBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The disk writer owns each block it is handed: released after the write, whatever the outcome. */
class DiskWriterTest {

    private static final int PIECE = 32 * 1024; // two 16 KiB blocks
    private static final int SIZE = PIECE + 7_000; // a second, short piece of one block

    @TempDir
    Path tmp;

    @Test
    void releasesBlocksOfVerifiedAndOfFailedPieces() throws Exception {
        Metainfo m = TestTorrents.singleFile(tmp.resolve("seed"), "one.bin", SIZE, PIECE, 3);
        byte[] data = Files.readAllBytes(tmp.resolve("seed/one.bin"));
        try (FilePieceStore store = FilePieceStore.open(m, tmp.resolve("copy"))) {
            DiskWriter disk = new DiskWriter();
            Recorder swarm = new Recorder();
            ByteBuf first = direct(Arrays.copyOfRange(data, 0, 16384));
            ByteBuf second = direct(Arrays.copyOfRange(data, 16384, PIECE));
            ByteBuf corrupt = direct(new byte[SIZE - PIECE]);
            disk.write(swarm, store, new BlockRequest(0, 0, 16384), block(first), false);
            disk.write(swarm, store, new BlockRequest(0, 16384, 16384), block(second), true);
            disk.write(swarm, store, new BlockRequest(1, 0, SIZE - PIECE), block(corrupt), true);
            disk.close(); // finishes every queued write
            assertTrue(store.hasPiece(0));
            assertFalse(store.hasPiece(1), "the zeroed block fails its SHA-1");
            assertEquals(List.of("0:true", "1:false"), swarm.checks);
            assertEquals(0, first.refCnt());
            assertEquals(0, second.refCnt());
            assertEquals(0, corrupt.refCnt());
        }
    }

    @Test
    void releasesTheBlockWhenTheDiskFails() throws Exception {
        Metainfo m = TestTorrents.singleFile(tmp.resolve("seed"), "one.bin", SIZE, PIECE, 4);
        try (FilePieceStore real = FilePieceStore.open(m, tmp.resolve("copy"))) {
            PieceStore failing = new ForwardingPieceStore(real) {
                @Override
                public void writeBlock(int pieceIndex, int begin, ByteBuffer block) throws IOException {
                    throw new IOException("disk full");
                }
            };
            DiskWriter disk = new DiskWriter();
            Recorder swarm = new Recorder();
            ByteBuf block = direct(new byte[16384]);
            disk.write(swarm, failing, new BlockRequest(0, 0, 16384), block(block), false);
            assertEquals("disk full", swarm.failure.get(30, TimeUnit.SECONDS));
            disk.close();
            assertEquals(0, block.refCnt());
        }
    }

    @Test
    void releasesABlockHandedOverAfterClose() throws Exception {
        Metainfo m = TestTorrents.singleFile(tmp.resolve("seed"), "one.bin", SIZE, PIECE, 5);
        try (FilePieceStore store = FilePieceStore.open(m, tmp.resolve("copy"))) {
            DiskWriter disk = new DiskWriter();
            Recorder swarm = new Recorder();
            disk.close();
            ByteBuf late = direct(new byte[16384]);
            disk.write(swarm, store, new BlockRequest(0, 0, 16384), block(late), false);
            assertEquals(0, late.refCnt());
            assertFalse(disk.isBacklogged(), "a dropped block is not counted as pending");
        }
    }

    @Test
    void savesResumeDataAfterTheWritesQueuedBeforeIt() throws Exception {
        Metainfo m = TestTorrents.singleFile(tmp.resolve("seed"), "one.bin", SIZE, PIECE, 6);
        byte[] data = Files.readAllBytes(tmp.resolve("seed/one.bin"));
        try (FilePieceStore real = FilePieceStore.open(m, tmp.resolve("copy"))) {
            List<String> order = new CopyOnWriteArrayList<>();
            PieceStore recording = new ForwardingPieceStore(real) {
                @Override
                public boolean verifyPiece(int pieceIndex) throws IOException {
                    order.add("verify " + pieceIndex);
                    return super.verifyPiece(pieceIndex);
                }

                @Override
                public void saveResume(boolean forced) throws IOException {
                    order.add("resume forced=" + forced);
                    super.saveResume(forced);
                }
            };
            DiskWriter disk = new DiskWriter();
            Recorder swarm = new Recorder();
            disk.write(swarm, recording, new BlockRequest(0, 0, 16384), block(direct(Arrays.copyOfRange(data, 0, 16384))), false);
            disk.write(swarm, recording, new BlockRequest(0, 16384, 16384), block(direct(Arrays.copyOfRange(data, 16384, PIECE))), true);
            disk.saveResume(recording, m.infoHash(), false);
            disk.write(swarm, recording, new BlockRequest(1, 0, SIZE - PIECE), block(direct(Arrays.copyOfRange(data, PIECE, SIZE))), true);
            disk.saveResume(recording, m.infoHash(), true);
            disk.close();
            assertEquals(List.of("verify 0", "resume forced=false", "verify 1", "resume forced=true"), order);
            assertTrue(real.isComplete());
        }
    }

    /** Records what the writer reports, as a torrent would queue it for its core. */
    private static final class Recorder implements DiskWriter.Events {
        final List<String> checks = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> failure = new CompletableFuture<>();

        @Override
        public void pieceChecked(int pieceIndex, boolean ok) {
            checks.add(pieceIndex + ":" + ok);
        }

        @Override
        public void failed(String reason) {
            failure.complete(reason);
        }

        @Override
        public void backlogged(boolean over) {
        }
    }

    private static BlockData block(ByteBuf buf) {
        return new ByteBufBlock(buf);
    }

    private static ByteBuf direct(byte[] bytes) {
        return Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    }
}
