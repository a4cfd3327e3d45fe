package io.kadtorrent.daemon.api;

import io.kadtorrent.daemon.Daemon.StreamSource;
import io.kadtorrent.torrent.layout.PieceLayout;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Serves one file of a torrent over HTTP while it downloads, as a media player wants it: {@code Range}
 * requests (one range; RFC 9110), each byte sent as soon as its piece is verified. A read that waits
 * tells the torrent which pieces it needs next ({@code setUrgentPieces}: the next {@link #WINDOW_BYTES}
 * after the read position, soonest first), so they are fetched before anything else; the rest of the
 * torrent goes on rarest first. Runs on the connection's event loop; the disk thread's "piece verified"
 * reports hop onto it.
 */
final class StreamResponder {

    private static final Logger log = LoggerFactory.getLogger(StreamResponder.class);
    /** How far ahead of the reader pieces are asked for first. */
    static final long WINDOW_BYTES = 8L << 20;
    private static final int CHUNK_BYTES = 64 * 1024;
    /** Chunks written before waiting for the socket to take them. */
    private static final int CHUNKS_IN_FLIGHT = 4;

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("mp4", "video/mp4"), Map.entry("m4v", "video/mp4"), Map.entry("webm", "video/webm"),
            Map.entry("mkv", "video/x-matroska"), Map.entry("mov", "video/quicktime"), Map.entry("avi", "video/x-msvideo"),
            Map.entry("ogv", "video/ogg"), Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"),
            Map.entry("ogg", "audio/ogg"), Map.entry("opus", "audio/ogg"), Map.entry("flac", "audio/flac"),
            Map.entry("wav", "audio/wav"), Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("srt", "text/plain; charset=utf-8"),
            Map.entry("vtt", "text/vtt"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("png", "image/png"), Map.entry("pdf", "application/pdf"));

    /** A {@code Range} header that cannot be served for a file of this size (answered 416). */
    static final class UnsatisfiableRange extends RuntimeException {
        UnsatisfiableRange(String message) {
            super(message);
        }
    }

    /**
     * The byte range {first, last} (inclusive) a {@code Range} header asks of a file of {@code size} bytes;
     * null when there is none, or it is not one byte range (then the whole file is sent, as RFC 9110 allows).
     *
     * @throws UnsatisfiableRange when the range starts past the end
     */
    static long[] parseRange(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).strip();
            String b = spec.substring(dash + 1).strip();
            if (a.isEmpty()) { // the last b bytes
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    throw new UnsatisfiableRange("empty suffix range");
                }
                return new long[] {Math.max(0, size - suffix), size - 1};
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (first < 0 || first >= size) {
                throw new UnsatisfiableRange("range starts at " + first + " of " + size + " bytes");
            }
            return last < first ? null : new long[] {first, last};
        } catch (NumberFormatException e) {
            return null; // not a range we understand: the whole file
        }
    }

    static String contentType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    private final ChannelHandlerContext ctx;
    private final StreamSource source;
    private final PieceLayout layout;
    private final boolean keepAlive;
    private final Runnable done;
    /** Torrent offsets: the next byte to send and the last one. */
    private long position;
    private final long last;
    private int askedFrom = -1;
    private boolean waitingForPiece;
    private boolean writing;
    private boolean finished;
    private Runnable stopListening = () -> { };

    private StreamResponder(ChannelHandlerContext ctx, StreamSource source, long first, long last, boolean keepAlive,
                            Runnable done) {
        this.ctx = ctx;
        this.source = source;
        this.layout = source.metainfo().layout();
        long fileStart = layout.fileStart(source.fileIndex());
        this.position = fileStart + first;
        this.last = fileStart + last;
        this.keepAlive = keepAlive;
        this.done = done;
    }

    /**
     * Answers a GET (or HEAD) of the file with the headers, then streams the body; {@code done} runs on the
     * event loop once the response is complete or the connection closed.
     */
    static void start(ChannelHandlerContext ctx, StreamSource source, String rangeHeader, boolean head,
                      boolean keepAlive, Runnable done) {
        var file = source.metainfo().files().get(source.fileIndex());
        long size = file.lengthBytes();
        String name = source.metainfo().isSingleFile() ? source.metainfo().name() : file.path().get(file.path().size() - 1);
        long[] range;
        try {
            range = parseRange(rangeHeader, size);
        } catch (UnsatisfiableRange e) {
            HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
            res.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size).set(HttpHeaderNames.CONTENT_LENGTH, 0);
            ctx.write(res);
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            done.run();
            return;
        }
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                range == null ? HttpResponseStatus.OK : HttpResponseStatus.PARTIAL_CONTENT);
        long first = range == null ? 0 : range[0];
        long lastByte = range == null ? size - 1 : range[1];
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType(name))
                .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set("X-Content-Type-Options", "nosniff");
        HttpUtil.setContentLength(res, Math.max(0, lastByte - first + 1));
        if (range != null) {
            res.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + first + "-" + lastByte + "/" + size);
        }
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.write(res);
        if (head || size == 0) {
            ChannelFuture f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
            done.run();
            return;
        }
        StreamResponder s = new StreamResponder(ctx, source, first, lastByte, keepAlive, done);
        s.stopListening = source.torrent().onPieceVerified(piece -> ctx.executor().execute(() -> s.verified(piece)));
        ctx.channel().closeFuture().addListener(f -> ctx.executor().execute(s::finish));
        s.pump();
    }

    private void verified(int piece) {
        if (waitingForPiece && piece == pieceOf(position)) {
            waitingForPiece = false;
            pump();
        }
    }

    /** Sends what is verified from the position on, a few chunks at a time, then waits for the socket or a piece. */
    private void pump() {
        if (finished || writing) {
            return;
        }
        try {
            ChannelFuture lastWrite = null;
            for (int n = 0; n < CHUNKS_IN_FLIGHT && position <= last; n++) {
                int piece = pieceOf(position);
                askAhead(piece);
                if (!source.store().hasPiece(piece)) {
                    waitingForPiece = true;
                    break;
                }
                long pieceEnd = layout.pieceStart(piece) + layout.pieceSize(piece) - 1;
                int len = (int) Math.min(CHUNK_BYTES, Math.min(last, pieceEnd) - position + 1);
                ByteBuf buf = ctx.alloc().buffer(len);
                try {
                    source.store().readBlock(piece, (int) (position - layout.pieceStart(piece)), buf.nioBuffer(0, len));
                    buf.writerIndex(len);
                } catch (IOException | RuntimeException e) {
                    buf.release();
                    throw e;
                }
                lastWrite = ctx.write(new DefaultHttpContent(buf));
                position += len;
            }
            if (position > last) {
                ChannelFuture end = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                if (!keepAlive) {
                    end.addListener(ChannelFutureListener.CLOSE);
                }
                finish();
                return;
            }
            if (lastWrite != null) {
                writing = true;
                ctx.flush();
                lastWrite.addListener(f -> {
                    writing = false;
                    if (f.isSuccess()) {
                        pump();
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            log.warn("stream of {} file {} failed: {}", source.infoHash(), source.fileIndex(), e.toString());
            ctx.close(); // headers are out: the only way to say it failed
            finish();
        }
    }

    /** Asks for the pieces of the next {@link #WINDOW_BYTES} first, each time the reader enters a new piece. */
    private void askAhead(int piece) {
        if (piece == askedFrom) {
            return;
        }
        askedFrom = piece;
        List<Integer> window = new ArrayList<>();
        int lastPiece = pieceOf(Math.min(last, layout.pieceStart(piece) + WINDOW_BYTES));
        for (int p = piece; p <= lastPiece; p++) {
            if (!source.store().hasPiece(p)) {
                window.add(p);
            }
        }
        source.torrent().setUrgentPieces(window);
    }

    private int pieceOf(long torrentOffset) {
        return (int) (torrentOffset / layout.pieceLengthBytes());
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        stopListening.run();
        if (askedFrom >= 0) {
            source.torrent().setUrgentPieces(List.of());
        }
        done.run();
    }
}
