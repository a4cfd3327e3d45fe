package io.kadtorrent.engine.net;

import io.kadtorrent.engine.mse.EncryptionPolicy;
import io.kadtorrent.engine.mse.SkeyIndex;
import io.kadtorrent.engine.wire.BlockAllocator;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.engine.wire.PeerWireCodec;
import io.kadtorrent.engine.wire.PeerWireDecoder;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The whole peer wire pipeline, top to bottom:
 * <pre>
 *   flush     FlushConsolidationHandler   batches the many small writes of a read burst
 *   idle      IdleStateHandler            close on read idle (BEP 3: 2 min); the connection sends keep-alives
 *   mse       MseHandler                  (unless encryption is disabled, or we dial in plain text) the MSE
 *                                         handshake; incoming, steps aside at once for a plain BEP 3 start
 *   rc4       Rc4Codec                    (after MSE chose RC4) decrypts all reads, encrypts all writes
 *   handshake HandshakeHandler            68-byte handshake, routes by info_hash, then is replaced by:
 *   frame     PeerWireDecoder             length-prefixed frames -> PeerMessage records, capped by the
 *                                         torrent before buffering; blocks go straight to buffers of their own
 *   codec     PeerWireCodec               PeerMessage records -> frames (outbound only)
 *   peer      PeerConnection              hands messages up to the torrent's swarm core
 * </pre>
 * The two handshakes together must finish within {@value #HANDSHAKE_TIMEOUT_SECONDS} s.
 */
public final class PeerChannelInitializer extends ChannelInitializer<SocketChannel> {

    public static final String FLUSH = "flush";
    public static final String IDLE = "idle";
    public static final String MSE = "mse";
    public static final String RC4 = "rc4";
    public static final String HANDSHAKE = "handshake";
    public static final String FRAME = "frame";
    public static final String CODEC = "codec";
    public static final String PEER = "peer";

    static final int READ_IDLE_SECONDS = 180; // BEP 3: peers send keep-alives every 2 minutes
    /** A keep-alive goes out when nothing else did for this long (BEP 3: about every 2 minutes). */
    static final int WRITE_IDLE_SECONDS = 90;
    /** MSE and BEP 3 handshakes together (libtorrent allows 10 s for its handshake, from connect). */
    static final int HANDSHAKE_TIMEOUT_SECONDS = 20;

    private static final Logger log = LoggerFactory.getLogger(PeerChannelInitializer.class);
    /** The torrent an MSE handshake on the channel was for, once it succeeded. */
    private static final AttributeKey<InfoHash> ENCRYPTION_DONE = AttributeKey.valueOf("kadtorrent.mseDone");
    private static final AttributeKey<Boolean> HANDSHAKE_DONE = AttributeKey.valueOf("kadtorrent.handshakeDone");
    private static final AttributeKey<ScheduledFuture<?>> HANDSHAKE_DEADLINE =
            AttributeKey.valueOf("kadtorrent.handshakeDeadline");
    private static final SecureRandom RANDOM = new SecureRandom(); // DH keys and pads; thread-safe

    private final byte[] ourPeerId;
    private final Function<InfoHash, PeerTorrent> router;
    private final PeerTorrent outgoingTorrent;
    private final EncryptionPolicy policy;
    private final SkeyIndex skeys;
    private final boolean dialEncrypted;

    private PeerChannelInitializer(byte[] ourPeerId, Function<InfoHash, PeerTorrent> router, PeerTorrent outgoing,
                                   EncryptionPolicy policy, SkeyIndex skeys, boolean dialEncrypted) {
        this.ourPeerId = ourPeerId.clone();
        this.router = router;
        this.outgoingTorrent = outgoing;
        this.policy = policy;
        this.skeys = skeys;
        this.dialEncrypted = dialEncrypted;
    }

    /**
     * For accepted connections: plain text and MSE as {@code policy} allows; {@code skeys} holds the
     * info_hashes an MSE peer may ask for, {@code router} finds the torrent for an info_hash, or null.
     */
    public static PeerChannelInitializer incoming(byte[] ourPeerId, Function<InfoHash, PeerTorrent> router,
                                                  EncryptionPolicy policy, SkeyIndex skeys) {
        return new PeerChannelInitializer(ourPeerId, router, null, policy, skeys, false);
    }

    /** For a connection we open to download or seed {@code torrent}, starting with MSE when {@code encrypted}. */
    public static PeerChannelInitializer outgoing(byte[] ourPeerId, PeerTorrent torrent, EncryptionPolicy policy,
                                                  boolean encrypted) {
        if (encrypted && !policy.acceptsEncrypted()) {
            throw new IllegalArgumentException("policy " + policy.label() + " never dials with MSE");
        }
        return new PeerChannelInitializer(ourPeerId, null, torrent, policy, null, encrypted);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline()
                .addLast(FLUSH, new FlushConsolidationHandler(256, true))
                // reads only: watching writes would cost a promise and a listener per message written
                .addLast(IDLE, new IdleStateHandler(READ_IDLE_SECONDS, 0, 0, TimeUnit.SECONDS));
        if (outgoingTorrent == null) {
            if (policy.acceptsEncrypted()) {
                p.addLast(MSE, MseHandler.incoming(policy, skeys, RANDOM));
            }
            p.addLast(HANDSHAKE, HandshakeHandler.incoming(ourPeerId, router));
        } else if (dialEncrypted) {
            p.addLast(MSE, MseHandler.outgoing(outgoingTorrent, policy, RANDOM,
                    () -> HandshakeHandler.outgoing(ourPeerId, outgoingTorrent)));
        } else {
            p.addLast(HANDSHAKE, HandshakeHandler.outgoing(ourPeerId, outgoingTorrent));
        }
        armHandshakeDeadline(ch);
    }

    /** Closes {@code ch} unless its handshakes finish in time ({@link #startMessages} disarms it). */
    static void armHandshakeDeadline(Channel ch) {
        ScheduledFuture<?> deadline = ch.eventLoop().schedule(() -> {
            log.debug("closing {}: no handshake within {} s", ch.remoteAddress(), HANDSHAKE_TIMEOUT_SECONDS);
            ch.close();
        }, HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ch.attr(HANDSHAKE_DEADLINE).set(deadline);
        ch.closeFuture().addListener(f -> deadline.cancel(false));
    }

    /** Set by the MSE handler once its handshake for {@code infoHash} (its SKEY) succeeded. */
    static void markEncryptionDone(Channel ch, InfoHash infoHash) {
        ch.attr(ENCRYPTION_DONE).set(infoHash);
    }

    /** True when an MSE handshake completed on {@code ch} (a failed one may be retried in plain text). */
    static boolean encryptionDone(Channel ch) {
        return ch.attr(ENCRYPTION_DONE).get() != null;
    }

    /** The torrent the MSE handshake on {@code ch} was for, or null without one. */
    static InfoHash encryptedFor(Channel ch) {
        return ch.attr(ENCRYPTION_DONE).get();
    }

    /** True when the BEP 3 handshake completed on {@code ch}. */
    static boolean handshakeDone(Channel ch) {
        return Boolean.TRUE.equals(ch.attr(HANDSHAKE_DONE).get());
    }

    /**
     * After an outgoing connection closed: true when dialling again the other way might work, i.e. an MSE
     * attempt ({@code encrypted}) failed before its handshake completed, or a plain one before the BEP 3
     * handshake did (the peer may require encryption).
     */
    public static boolean worthRetryingOtherWay(Channel ch, boolean encrypted) {
        return encrypted ? !encryptionDone(ch) : !handshakeDone(ch);
    }

    /** Called by the handshake handler once it is done: installs the message stages after it. */
    static void startMessages(ChannelHandlerContext handshakeCtx, PeerTorrent torrent, Handshake remote,
                              boolean outgoing) {
        handshakeCtx.channel().attr(HANDSHAKE_DONE).set(Boolean.TRUE);
        ScheduledFuture<?> deadline = handshakeCtx.channel().attr(HANDSHAKE_DEADLINE).getAndSet(null);
        if (deadline != null) {
            deadline.cancel(false);
        }
        ChannelPipeline p = handshakeCtx.pipeline();
        p.addAfter(HANDSHAKE, FRAME, frameDecoder(torrent.maxFrameBytes()));
        p.addAfter(FRAME, CODEC, PeerWireCodec.INSTANCE);
        p.addAfter(CODEC, PEER, new PeerConnection(torrent, remote, outgoing));
    }

    /**
     * BEP 3 framing and decoding: a message longer than {@code maxMessageBytes} (not counting its 4-byte
     * length prefix) closes the connection unread.
     */
    public static PeerWireDecoder frameDecoder(int maxMessageBytes) {
        return new PeerWireDecoder(maxMessageBytes, BlockAllocator.SHARED);
    }
}
