package io.kadtorrent.engine.net;

import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.engine.wire.PeerProtocolException;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Runs the BEP 3 handshake on one connection, then replaces itself with the message pipeline.
 * Outgoing: sends ours at once and expects the same info_hash back. Incoming: reads the first 48
 * bytes, routes by info_hash to a torrent we serve (closing on an unknown one), then answers with
 * ours before the peer_id arrives, as BEP 3 allows.
 */
final class HandshakeHandler extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);

    private final byte[] ourPeerId;
    private final Function<InfoHash, PeerTorrent> router;
    private final PeerTorrent outgoingTorrent; // null for incoming connections
    private Handshake.Prefix prefix;
    private PeerTorrent torrent;
    private boolean sent;
    private boolean failed; // refused: what follows is dropped unread (closing decodes the rest once more)

    private HandshakeHandler(byte[] ourPeerId, Function<InfoHash, PeerTorrent> router, PeerTorrent outgoingTorrent) {
        this.ourPeerId = ourPeerId.clone();
        this.router = router;
        this.outgoingTorrent = outgoingTorrent;
    }

    static HandshakeHandler incoming(byte[] ourPeerId, Function<InfoHash, PeerTorrent> router) {
        return new HandshakeHandler(ourPeerId, router, null);
    }

    static HandshakeHandler outgoing(byte[] ourPeerId, PeerTorrent torrent) {
        return new HandshakeHandler(ourPeerId, h -> null, torrent);
    }

    /** Outgoing after an MSE handshake: added to a live channel, so ours goes out now. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (outgoingTorrent != null && ctx.channel().isActive()) {
            sendOurs(ctx, outgoingTorrent.infoHash());
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (outgoingTorrent != null) {
            sendOurs(ctx, outgoingTorrent.infoHash());
        }
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (prefix == null) {
            if (in.readableBytes() < Handshake.PREFIX_LENGTH) {
                return;
            }
            prefix = Handshake.decodePrefix(in);
            torrent = outgoingTorrent != null ? outgoingTorrent : router.apply(prefix.infoHash());
            if (torrent == null || !torrent.infoHash().equals(prefix.infoHash())) {
                throw new PeerProtocolException("handshake for unknown info_hash " + prefix.infoHash().shortHex());
            }
            InfoHash encryptedFor = PeerChannelInitializer.encryptedFor(ctx.channel());
            if (encryptedFor != null && !encryptedFor.equals(prefix.infoHash())) {
                // MSE's SKEY named one torrent, the handshake inside it another: a confused or probing peer
                throw new PeerProtocolException("handshake for info_hash " + prefix.infoHash().shortHex()
                        + " inside an encryption handshake for " + encryptedFor.shortHex());
            }
            if (outgoingTorrent == null) {
                sendOurs(ctx, torrent.infoHash());
            }
        }
        if (in.readableBytes() < Handshake.PEER_ID_LENGTH) {
            return;
        }
        byte[] peerId = new byte[Handshake.PEER_ID_LENGTH];
        in.readBytes(peerId);
        if (Arrays.equals(peerId, ourPeerId)) {
            throw new PeerProtocolException("connected to ourselves");
        }
        if (log.isDebugEnabled()) {
            byte[] r = prefix.reserved();
            log.debug("handshake with {} ({}): peer_id {}, reserved {} (extension protocol {}, DHT {}, Fast {})",
                    ctx.channel().remoteAddress(), outgoingTorrent != null ? "we dialled" : "it dialled",
                    new String(peerId, 0, 8, java.nio.charset.StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", "?"),
                    java.util.HexFormat.of().formatHex(r), (r[5] & 0x10) != 0, (r[7] & 0x01) != 0, (r[7] & 0x04) != 0);
        }
        PeerChannelInitializer.startMessages(ctx, torrent, prefix.withPeerId(peerId), outgoingTorrent != null);
        ctx.pipeline().remove(this); // hands any bytes already read to the frame decoder
    }

    private void sendOurs(ChannelHandlerContext ctx, InfoHash infoHash) {
        if (sent) {
            return;
        }
        sent = true;
        ByteBuf buf = ctx.alloc().buffer(Handshake.LENGTH);
        Handshake.of(infoHash, ourPeerId).encode(buf);
        ctx.writeAndFlush(buf);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            log.debug("closing {}: no handshake in time", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed = true;
        Throwable reason = cause.getCause() instanceof PeerProtocolException ? cause.getCause() : cause;
        log.debug("closing {} during handshake: {}", ctx.channel().remoteAddress(), reason.getMessage());
        ctx.close();
    }
}
