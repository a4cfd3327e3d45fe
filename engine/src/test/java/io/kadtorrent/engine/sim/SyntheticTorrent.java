package io.kadtorrent.engine.sim;

import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.RawBencode;
import io.kadtorrent.torrent.layout.PieceLayout;
import io.kadtorrent.torrent.metainfo.InvalidMetainfoException;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A torrent whose content is never stored: the bytes of every 16 KiB block derive from (seed, piece,
 * offset), and its metainfo carries their real SHA-1s, so simulated peers serve, check and verify any
 * block of a 1 GiB torrent in a few MiB. A block is an 8-byte tag unique to (seed, piece, offset)
 * followed by the rest of one of {@link #POOL_BLOCKS} random blocks: distinct per block, and checked
 * with one vectorised comparison instead of a hash.
 */
final class SyntheticTorrent {

    static final int POOL_BLOCKS = 64;
    private static final int TAG_BYTES = Long.BYTES;

    private final long seed;
    private final byte[][] pool = new byte[POOL_BLOCKS][BlockRequest.BLOCK_SIZE];
    private final Metainfo metainfo;

    private SyntheticTorrent(long seed, long[] fileLengths, int pieceLengthBytes) {
        long totalBytes = java.util.Arrays.stream(fileLengths).sum();
        if (pieceLengthBytes % BlockRequest.BLOCK_SIZE != 0 || totalBytes <= 0) {
            throw new IllegalArgumentException("piece length must be a multiple of 16 KiB, size > 0");
        }
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        for (byte[] b : pool) {
            random.nextBytes(b);
        }
        this.metainfo = build(fileLengths, pieceLengthBytes);
    }

    /** A single-file torrent of {@code totalBytes} in pieces of {@code pieceLengthBytes}. */
    static SyntheticTorrent of(long seed, long totalBytes, int pieceLengthBytes) {
        return new SyntheticTorrent(seed, new long[] {totalBytes}, pieceLengthBytes);
    }

    /** A torrent of files {@code f0, f1, ...} of these lengths (some may be empty), in pieces of {@code pieceLengthBytes}. */
    static SyntheticTorrent ofFiles(long seed, long[] fileLengths, int pieceLengthBytes) {
        return new SyntheticTorrent(seed, fileLengths.clone(), pieceLengthBytes);
    }

    Metainfo metainfo() {
        return metainfo;
    }

    PieceLayout layout() {
        return metainfo.layout();
    }

    int blocksPerPiece() {
        return metainfo.pieceLengthBytes() / BlockRequest.BLOCK_SIZE;
    }

    /** Appends the true bytes of {@code length} bytes at {@code begin} in piece {@code piece} to {@code out}. */
    void write(int piece, int begin, int length, ByteBuf out) {
        int at = begin;
        int end = begin + length;
        while (at < end) {
            int blockBegin = at - at % BlockRequest.BLOCK_SIZE;
            int stop = Math.min(end, blockBegin + BlockRequest.BLOCK_SIZE);
            long tag = tag(piece, blockBegin);
            if (at == blockBegin && stop - at >= TAG_BYTES) {
                out.writeLong(tag); // big-endian, as the loop below writes it
                at += TAG_BYTES;
            }
            for (; at < stop && at - blockBegin < TAG_BYTES; at++) {
                out.writeByte((int) (tag >>> (8 * (TAG_BYTES - 1 - (at - blockBegin)))));
            }
            if (at < stop) {
                out.writeBytes(poolOf(piece, blockBegin), at - blockBegin, stop - at);
                at = stop;
            }
        }
    }

    /** True when {@code data} holds exactly the bytes of block {@code block} (an aligned block). */
    boolean matches(BlockRequest block, ByteBuffer data) {
        if (block.begin() % BlockRequest.BLOCK_SIZE != 0 || data.remaining() != block.lengthBytes()) {
            return false;
        }
        int n = Math.min(TAG_BYTES, block.lengthBytes());
        long tag = tag(block.pieceIndex(), block.begin());
        int p = data.position();
        for (int i = 0; i < n; i++) {
            if (data.get(p + i) != (byte) (tag >>> (8 * (TAG_BYTES - 1 - i)))) {
                return false;
            }
        }
        if (block.lengthBytes() <= TAG_BYTES) {
            return true;
        }
        ByteBuffer expected = ByteBuffer.wrap(poolOf(block.pieceIndex(), block.begin()), TAG_BYTES,
                block.lengthBytes() - TAG_BYTES);
        return data.slice(p + TAG_BYTES, block.lengthBytes() - TAG_BYTES).mismatch(expected) < 0;
    }

    private long tag(int piece, int begin) {
        return mix(seed ^ mix(((long) piece << 32) | begin));
    }

    private byte[] poolOf(int piece, int blockBegin) {
        return pool[(int) Math.floorMod(mix(tag(piece, blockBegin)), (long) POOL_BLOCKS)];
    }

    /** SplitMix64's finaliser: a cheap bijective scramble. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private Metainfo build(long[] fileLengths, int pieceLengthBytes) {
        PieceLayout layout = PieceLayout.ofLengths(fileLengths, pieceLengthBytes);
        byte[] hashes = new byte[20 * layout.pieceCount()];
        ByteBuf scratch = io.netty.buffer.Unpooled.buffer(pieceLengthBytes);
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (int i = 0; i < layout.pieceCount(); i++) {
                scratch.clear();
                write(i, 0, layout.pieceSize(i), scratch);
                sha1.update(scratch.nioBuffer());
                System.arraycopy(sha1.digest(), 0, hashes, 20 * i, 20);
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            scratch.release();
        }
        Map<String, Object> info = new LinkedHashMap<>();
        if (fileLengths.length == 1) {
            info.put("length", fileLengths[0]);
        } else {
            List<Object> files = new ArrayList<>();
            for (int i = 0; i < fileLengths.length; i++) {
                files.add(Map.of("length", fileLengths[i], "path", List.of("f" + i)));
            }
            info.put("files", files);
        }
        info.put("name", "synthetic-" + Long.toHexString(seed));
        info.put("piece length", (long) pieceLengthBytes);
        info.put("pieces", hashes);
        try {
            return MetainfoParser.parse(BencodeCodec.encode(Map.of("info", RawBencode.of(BencodeCodec.encode(info)))));
        } catch (InvalidMetainfoException e) {
            throw new IllegalStateException(e);
        }
    }
}
