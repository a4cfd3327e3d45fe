import io.kadtorrent.metadata.protocol.MetadataRequest;
import io.kadtorrent.metadata.protocol.MetadataRequestCodec;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop get-by-info_hash load that reads only the response framing (and checks {@code ok: 1}),
 * the way wrk reads only HTTP framing: request frames are encoded once up front.
 */
final class RawLoad {

    private static final byte[] OK = "2:oki1e".getBytes(StandardCharsets.US_ASCII);

    static long[] run(InetSocketAddress server, EventLoopGroup group, int connections, List<InfoHash> hashes,
                      int seconds) throws Exception {
        List<ByteBuf> frames = new ArrayList<>();
        for (InfoHash h : hashes) {
            byte[] body = MetadataRequestCodec.encode(new MetadataRequest.GetByInfoHash(1, h));
            frames.add(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(
                    ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip())));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Conn c = new Conn(frames, deadline, new SplittableRandom(i));
            conns.add(c);
            c.channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(64 << 20, 0, 4, 0, 4), c);
                        }
                    }).connect(server).sync().channel();
        }
        conns.forEach(Conn::next);
        for (Conn c : conns) {
            c.done.get(seconds + 60L, TimeUnit.SECONDS);
            c.channel.close().sync();
        }
        return conns.stream().flatMapToLong(c -> Arrays.stream(c.latencies, 0, c.count)).toArray();
    }

    static final class Conn extends SimpleChannelInboundHandler<ByteBuf> {
        final List<ByteBuf> frames;
        final long deadline;
        final SplittableRandom random;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        Channel channel;
        long[] latencies = new long[1 << 14];
        int count;
        long start;

        Conn(List<ByteBuf> frames, long deadline, SplittableRandom random) {
            this.frames = frames;
            this.deadline = deadline;
            this.random = random;
        }

        void next() {
            start = System.nanoTime();
            if (start >= deadline) {
                done.complete(null);
                return;
            }
            channel.writeAndFlush(frames.get(random.nextInt(frames.size())).duplicate());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            int okAt = frame.readerIndex() + 8; // after "d2:idi1e": keys are sorted, "key" comes next
            if (indexOf(frame, okAt) < 0) {
                done.completeExceptionally(new IllegalStateException("not ok: " + frame.toString(StandardCharsets.ISO_8859_1)));
                return;
            }
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = System.nanoTime() - start;
            next();
        }

        private static int indexOf(ByteBuf frame, int from) {
            int end = Math.min(frame.writerIndex(), from + 64) - OK.length;
            for (int i = from; i <= end; i++) {
                boolean match = true;
                for (int j = 0; j < OK.length && match; j++) {
                    match = frame.getByte(i + j) == OK[j];
                }
                if (match) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }
}
