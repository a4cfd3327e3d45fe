package io.kadtorrent.engine.net;

import io.kadtorrent.engine.mse.Rc4Stream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * The RC4 stream of an MSE connection once the handshake chose it: decrypts every byte read (in place,
 * the read buffers are ours) and encrypts every byte written (into a new buffer, since what is written
 * may be shared, e.g. a block several peers asked for). A {@link FileRegion} cannot be encrypted on its way
 * to the socket, so it is read into a buffer here; the torrent avoids sending any on such connections.
 */
final class Rc4Codec extends ChannelDuplexHandler {

    private static final int CHUNK_BYTES = 16 * 1024;

    private final Rc4Stream encryptor;
    private final Rc4Stream decryptor;
    private final byte[] scratch = new byte[CHUNK_BYTES];

    Rc4Codec(Rc4Stream encryptor, Rc4Stream decryptor) {
        this.encryptor = encryptor;
        this.decryptor = decryptor;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf in) {
            decryptInPlace(in);
        }
        ctx.fireChannelRead(msg);
    }

    /** Decrypts the readable bytes of {@code in} in place (also used for what the handshake had read ahead). */
    void decryptInPlace(ByteBuf in) {
        int index = in.readerIndex();
        int length = in.readableBytes();
        if (in.hasArray()) {
            decryptor.apply(in.array(), in.arrayOffset() + index, length);
            return;
        }
        for (int done = 0; done < length; ) {
            int n = Math.min(CHUNK_BYTES, length - done);
            in.getBytes(index + done, scratch, 0, n);
            decryptor.apply(scratch, 0, n);
            in.setBytes(index + done, scratch, 0, n);
            done += n;
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf in) {
            ByteBuf out = ctx.alloc().ioBuffer(in.readableBytes());
            try {
                while (in.isReadable()) {
                    int n = Math.min(CHUNK_BYTES, in.readableBytes());
                    in.readBytes(scratch, 0, n);
                    encryptor.apply(scratch, 0, n);
                    out.writeBytes(scratch, 0, n);
                }
            } finally {
                in.release();
            }
            ctx.write(out, promise);
        } else if (msg instanceof FileRegion region) {
            ByteBuf out;
            try {
                out = read(ctx, region);
            } catch (IOException | RuntimeException e) {
                promise.tryFailure(e);
                return;
            } finally {
                region.release();
            }
            write(ctx, out, promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    private static ByteBuf read(ChannelHandlerContext ctx, FileRegion region) throws IOException {
        ByteBuf out = ctx.alloc().ioBuffer((int) region.count());
        WritableByteChannel sink = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) {
                int n = src.remaining();
                out.writeBytes(src);
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        try {
            for (long done = 0; done < region.count(); ) {
                long n = region.transferTo(sink, done);
                if (n <= 0) {
                    throw new IOException("file region ended after " + done + " of " + region.count() + " bytes");
                }
                done += n;
            }
        } catch (IOException | RuntimeException e) {
            out.release();
            throw e;
        }
        return out;
    }
}
