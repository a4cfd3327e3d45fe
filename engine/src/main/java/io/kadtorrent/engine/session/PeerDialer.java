package io.kadtorrent.engine.session;

import io.kadtorrent.engine.mse.EncryptionPolicy;
import io.kadtorrent.engine.net.PeerChannelInitializer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Predicate;

/**
 * Opens the session's outgoing peer connections, with MSE first or plain text first as the encryption policy
 * says, trying the other way once when the first handshake fails (as common clients do). Thread-safe: each dial
 * runs on the event loop it is given.
 */
final class PeerDialer {

    private static final Logger log = LoggerFactory.getLogger(PeerDialer.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final byte[] peerId;
    private final EncryptionPolicy encryption;
    /** Whether a torrent is still in the session: a failed handshake is retried the other way only then. */
    private final Predicate<Torrent> stillAdded;

    PeerDialer(byte[] peerId, EncryptionPolicy encryption, Predicate<Torrent> stillAdded) {
        this.peerId = peerId;
        this.encryption = encryption;
        this.stillAdded = stillAdded;
    }

    /**
     * Dials {@code address} for {@code torrent} on {@code loop}, its core's own event loop; the core hears of the
     * dial only when the last attempt ends.
     */
    void connect(Torrent torrent, EventLoop loop, InetSocketAddress address) {
        dial(torrent, loop, address, encryption.dialAttempts(), 0);
    }

    private void dial(Torrent torrent, EventLoop loop, InetSocketAddress address, List<Boolean> attempts, int attempt) {
        boolean encrypted = attempts.get(attempt);
        new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, Session.WATER_MARK)
                .handler(PeerChannelInitializer.outgoing(peerId, torrent, encryption, encrypted))
                .connect(address)
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        log.info("cannot connect to peer {}: {}", address, f.cause().getMessage());
                        torrent.dialEnded(address);
                        return;
                    }
                    Channel ch = f.channel();
                    ch.closeFuture().addListener(closed -> {
                        boolean retry = attempt + 1 < attempts.size()
                                && PeerChannelInitializer.worthRetryingOtherWay(ch, encrypted)
                                && stillAdded.test(torrent) && !loop.isShuttingDown();
                        if (retry) {
                            log.debug("peer {}: {} handshake failed, trying {}", address,
                                    encrypted ? "encrypted" : "plain-text", encrypted ? "plain text" : "MSE");
                            dial(torrent, loop, address, attempts, attempt + 1);
                        } else {
                            torrent.dialEnded(address);
                        }
                    });
                });
    }
}
