package io.kadtorrent.engine.net;

import io.kadtorrent.engine.mse.EncryptionPolicy;
import io.kadtorrent.engine.mse.MseException;
import io.kadtorrent.engine.mse.MseHandshake;
import io.kadtorrent.engine.mse.MseResult;
import io.kadtorrent.engine.mse.SkeyIndex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Runs the MSE handshake ({@link MseHandshake}) of one connection, then gets out of the way: puts an
 * {@link Rc4Codec} below the BEP 3 handshake when RC4 was chosen, hands on what it read past its end, and
 * removes itself. Incoming connections first show which protocol they speak: a plain BEP 3 handshake
 * ("\x13BitTorrent protocol") passes straight on when the policy accepts plain text; anything else is
 * taken as MSE when the policy accepts that.
 */
final class MseHandler extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(MseHandler.class);
    /** BEP 3: the first 20 bytes of a plain handshake. */
    private static final byte[] PLAIN_START = "\u0013BitTorrent protocol".getBytes(StandardCharsets.ISO_8859_1);

    private final EncryptionPolicy policy;
    private final SkeyIndex skeys; // incoming only
    private final RandomGenerator random;
    private final Supplier<ChannelHandler> outgoingHandshake; // outgoing only: the BEP 3 handshake that follows
    private MseHandshake core; // incoming: null until the first bytes show MSE
    private boolean started;
    private boolean failed; // bytes after a refusal are dropped unread

    private MseHandler(EncryptionPolicy policy, SkeyIndex skeys, RandomGenerator random, MseHandshake core,
                       Supplier<ChannelHandler> outgoingHandshake) {
        this.policy = policy;
        this.skeys = skeys;
        this.random = random;
        this.core = core;
        this.outgoingHandshake = outgoingHandshake;
    }

    static MseHandler incoming(EncryptionPolicy policy, SkeyIndex skeys, RandomGenerator random) {
        return new MseHandler(policy, skeys, random, null, null);
    }

    /** Dials with MSE for {@code torrent}; once done, adds {@code bep3Handshake} after itself. */
    static MseHandler outgoing(PeerTorrent torrent, EncryptionPolicy policy, RandomGenerator random,
                               Supplier<ChannelHandler> bep3Handshake) {
        return new MseHandler(policy, null, random, MseHandshake.initiator(torrent.infoHash(), policy, random),
                bep3Handshake);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (outgoingHandshake != null && !started) {
            started = true;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(core.start()));
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (core == null && !chooseProtocol(ctx, in)) {
            return;
        }
        ByteBuffer view = in.nioBuffer();
        int before = view.position();
        byte[] reply = core.receive(view);
        in.skipBytes(view.position() - before);
        if (reply.length > 0) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(reply));
        }
        if (core.isDone()) {
            established(ctx, in, out);
        }
    }

    /** Incoming: true once the start is MSE (the core is made); on a plain start, steps aside for BEP 3. */
    private boolean chooseProtocol(ChannelHandlerContext ctx, ByteBuf in) {
        int n = Math.min(in.readableBytes(), PLAIN_START.length);
        boolean plainSoFar = true;
        for (int i = 0; i < n && plainSoFar; i++) {
            plainSoFar = in.getByte(in.readerIndex() + i) == PLAIN_START[i];
        }
        if (plainSoFar && n < PLAIN_START.length) {
            return false;
        }
        if (plainSoFar) {
            if (!policy.acceptsPlainText()) {
                throw new MseException("plain-text handshake refused: encryption is required");
            }
            ctx.pipeline().remove(this); // the buffered bytes go on to the BEP 3 handshake
            return false;
        }
        if (!policy.acceptsEncrypted()) {
            throw new MseException("not a BitTorrent handshake, and encryption is disabled");
        }
        core = MseHandshake.responder(skeys, policy, random);
        return true;
    }

    private void established(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        MseResult r = core.result();
        PeerChannelInitializer.markEncryptionDone(ctx.channel(), r.infoHash());
        log.debug("MSE with {} ({}) for {}: {}, initiator offered 0x{}", ctx.channel().remoteAddress(),
                outgoingHandshake != null ? "we dialled" : "it dialled", r.infoHash().shortHex(),
                r.isRc4() ? "RC4" : "plain text", Integer.toHexString(r.provided()));
        if (r.isRc4()) {
            Rc4Codec codec = new Rc4Codec(r.encryptor().orElseThrow(), r.decryptor().orElseThrow());
            ctx.pipeline().addBefore(ctx.name(), PeerChannelInitializer.RC4, codec);
            codec.decryptInPlace(in); // arrived with the handshake's last bytes, after them
        }
        byte[] payload = r.payload();
        if (payload.length > 0) {
            out.add(Unpooled.wrappedBuffer(payload));
        }
        if (in.isReadable()) {
            out.add(in.readRetainedSlice(in.readableBytes()));
        }
        if (outgoingHandshake != null) {
            ctx.pipeline().addAfter(ctx.name(), PeerChannelInitializer.HANDSHAKE, outgoingHandshake.get());
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed = true;
        Throwable reason = cause.getCause() instanceof MseException ? cause.getCause() : cause;
        if (isPeerFault(reason)) {
            log.debug("closing {} during the encryption handshake: {}", ctx.channel().remoteAddress(),
                    reason.getMessage());
        } else {
            log.error("closing {} after an unexpected error in the encryption handshake", ctx.channel().remoteAddress(),
                    reason);
        }
        ctx.close();
    }

    /**
     * A refused handshake, or the peer's side of the connection gone (a reset when it dies mid-handshake,
     * as under kill -9): what peers do, not a broken invariant of ours, so no ERROR.
     */
    static boolean isPeerFault(Throwable reason) {
        return reason instanceof MseException || reason instanceof IOException;
    }
}
