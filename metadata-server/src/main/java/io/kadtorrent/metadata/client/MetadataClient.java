package io.kadtorrent.metadata.client;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.protocol.ErrorCode;
import io.kadtorrent.metadata.protocol.MetadataRequest;
import io.kadtorrent.metadata.protocol.MetadataRequestCodec;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.metadata.signing.UnpublishSignature;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.InvalidMetainfoException;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A connection to a metadata server. Blocking methods for the CLI ({@link #list}, {@link #search},
 * {@link #get}, {@link #publish}, {@link #unpublish}, {@link #nodes}, and the verifying {@link #fetch}); {@link #send}
 * for callers that pipeline many requests. Thread-safe; close it to disconnect.
 */
public final class MetadataClient implements AutoCloseable {

    /** Largest response accepted: a served .torrent (the server's own frame cap is 8 MiB by default). */
    public static final int MAX_RESPONSE_BYTES = 64 << 20;

    private final Channel channel;
    private final PendingRequests pending;
    private final Duration timeout;
    private final EventLoopGroup ownGroup;
    private final AtomicLong ids = new AtomicLong();

    private MetadataClient(Channel channel, PendingRequests pending, Duration timeout, EventLoopGroup ownGroup) {
        this.channel = channel;
        this.pending = pending;
        this.timeout = timeout;
        this.ownGroup = ownGroup;
    }

    /** Connects with its own one-thread event loop; {@code timeout} bounds the connect and each request. */
    public static MetadataClient connect(HostAndPort server, Duration timeout) throws MetadataClientException {
        return connect(new InetSocketAddress(server.getHost(), server.getPort()), timeout);
    }

    /** Connects with its own one-thread event loop; {@code timeout} bounds the connect and each request. */
    public static MetadataClient connect(InetSocketAddress server, Duration timeout) throws MetadataClientException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            return connect(server, timeout, group, group);
        } catch (MetadataClientException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Connects on a caller-owned event loop group (for many clients in one process). */
    public static MetadataClient connect(InetSocketAddress server, Duration timeout, EventLoopGroup group)
            throws MetadataClientException {
        return connect(server, timeout, group, null);
    }

    private static MetadataClient connect(InetSocketAddress server, Duration timeout, EventLoopGroup group,
                                          EventLoopGroup ownGroup) throws MetadataClientException {
        if (server.isUnresolved()) {
            throw new MetadataClientException("cannot resolve metadata server host " + server.getHostString());
        }
        PendingRequests pending = new PendingRequests();
        ChannelFuture connect = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new MetadataClientChannelInitializer(MAX_RESPONSE_BYTES, pending))
                .connect(server);
        connect.awaitUninterruptibly();
        if (!connect.isSuccess()) {
            throw new MetadataClientException("cannot reach metadata server " + hostPort(server) + ": "
                    + connect.cause().getMessage(), null, connect.cause());
        }
        return new MetadataClient(connect.channel(), pending, timeout, ownGroup);
    }

    /** Sends a request built for a fresh id; the future completes with whatever the server answers. */
    public CompletableFuture<MetadataResponse> send(LongFunction<MetadataRequest> build) {
        MetadataRequest request = build.apply(ids.incrementAndGet());
        CompletableFuture<MetadataResponse> f = pending.register(request.id());
        if (!channel.isActive()) {
            f.completeExceptionally(new MetadataClientException("connection to the metadata server is closed"));
            return f;
        }
        channel.writeAndFlush(request).addListener(w -> {
            if (!w.isSuccess()) {
                f.completeExceptionally(new MetadataClientException("cannot send to the metadata server: "
                        + w.cause().getMessage(), null, w.cause()));
            }
        });
        return f;
    }

    public MetadataResponse.Page list(int offset, int limit) throws MetadataClientException {
        return call(id -> new MetadataRequest.ListTorrents(id, offset, limit), MetadataResponse.Page.class);
    }

    public MetadataResponse.Page search(String pattern, int offset, int limit) throws MetadataClientException {
        return call(id -> new MetadataRequest.Search(id, pattern, offset, limit), MetadataResponse.Page.class);
    }

    /** The raw served torrent, unverified; see {@link #fetch} for the checked one. */
    public MetadataResponse.Torrent get(InfoHash infoHash) throws MetadataClientException {
        return call(id -> new MetadataRequest.GetByInfoHash(id, infoHash), MetadataResponse.Torrent.class);
    }

    /**
     * The raw served torrent named exactly {@code name}, unverified. Fails with 409
     * ({@link io.kadtorrent.metadata.protocol.ErrorCode#AMBIGUOUS_NAME}) when several share it,
     * the message naming each; with 404 and {@link MetadataClientException#suggestions()} when none.
     */
    public MetadataResponse.Torrent get(String name) throws MetadataClientException {
        return call(id -> new MetadataRequest.GetByName(id, name), MetadataResponse.Torrent.class);
    }

    /** The raw served torrent named {@code name} that {@code publisher} published; 404 when it has none. */
    public MetadataResponse.Torrent get(String name, PublisherKey publisher) throws MetadataClientException {
        return call(id -> new MetadataRequest.GetByName(id, name, Optional.of(publisher)), MetadataResponse.Torrent.class);
    }

    /** Signs the torrent's {@code info} with {@code key} and publishes it. */
    public MetadataResponse.Published publish(byte[] torrent, SigningKey key) throws MetadataClientException {
        Metainfo m;
        try {
            m = MetainfoParser.parse(torrent);
        } catch (InvalidMetainfoException e) {
            throw new MetadataClientException("not a valid .torrent: " + e.getMessage());
        }
        return publish(torrent, TorrentSignature.sign(key, m));
    }

    /** Publishes with a ready signature (or a deliberately wrong one, in tests). */
    public MetadataResponse.Published publish(byte[] torrent, TorrentSignature signature) throws MetadataClientException {
        return call(id -> new MetadataRequest.Publish(id, torrent, signature), MetadataResponse.Published.class);
    }

    /**
     * Removes a torrent {@code key} published, signing the request with the current time. The
     * answer comes once the removal is durable. Fails with 404 (no such info_hash), 401 (the
     * signature does not verify, or this machine's clock is more than 10 minutes from the
     * server's) or 403 (another key published it).
     */
    public MetadataResponse.Unpublished unpublish(InfoHash infoHash, SigningKey key) throws MetadataClientException {
        return unpublish(UnpublishSignature.sign(key, infoHash, Instant.now()));
    }

    /** Sends a ready unpublish signature (or a stale or forged one, in tests). */
    public MetadataResponse.Unpublished unpublish(UnpublishSignature signature) throws MetadataClientException {
        return call(id -> new MetadataRequest.Unpublish(id, signature), MetadataResponse.Unpublished.class);
    }

    public List<HostAndPort> nodes() throws MetadataClientException {
        return call(MetadataRequest.Nodes::new, MetadataResponse.NodeList.class).nodes();
    }

    /**
     * Fetches a torrent by 40-hex/32-base32 info_hash or else by exact name and verifies it: the
     * info_hash (or name) is what was asked, the publisher's signature is valid, and, when
     * {@code trusted} is given, the publisher is that key (by name, the server is asked for that
     * key's torrent, so a name another key also uses still works).
     */
    public FetchedTorrent fetch(String nameOrInfoHash, Optional<PublisherKey> trusted)
            throws MetadataClientException {
        return fetch(nameOrInfoHash, trusted, trusted);
    }

    /**
     * As {@link #fetch(String, Optional)}; a get by name asks for {@code publisher}'s torrent of
     * that name when given (so a name two keys use is not ambiguous). When that publisher has
     * none, it takes what the name alone serves, so the check against {@code trusted} (or the
     * caller) can say who signs it instead.
     */
    FetchedTorrent fetch(String nameOrInfoHash, Optional<PublisherKey> publisher, Optional<PublisherKey> trusted)
            throws MetadataClientException {
        boolean byHash = InfoHash.looksLikeInfoHash(nameOrInfoHash);
        MetadataResponse.Torrent served = byHash ? get(InfoHash.parse(nameOrInfoHash))
                : publisher.isPresent() ? getPreferring(nameOrInfoHash, publisher.get()) : get(nameOrInfoHash);
        return TorrentCheck.verify(served, nameOrInfoHash, byHash, trusted);
    }

    private MetadataResponse.Torrent getPreferring(String name, PublisherKey publisher) throws MetadataClientException {
        try {
            return get(name, publisher);
        } catch (MetadataClientException e) {
            if (e.code().orElse(null) != ErrorCode.NOT_FOUND) {
                throw e;
            }
            return get(name);
        }
    }

    private <T extends MetadataResponse> T call(LongFunction<MetadataRequest> build, Class<T> expected)
            throws MetadataClientException {
        MetadataResponse r = await(send(build));
        if (r instanceof MetadataResponse.Failure f) {
            throw new MetadataClientException(f.message(), f.code(), null, f.suggestions());
        }
        if (!expected.isInstance(r)) {
            throw new MetadataClientException("metadata server answered " + r.getClass().getSimpleName()
                    + " where " + expected.getSimpleName() + " was expected");
        }
        return expected.cast(r);
    }

    private MetadataResponse await(CompletableFuture<MetadataResponse> f) throws MetadataClientException {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new MetadataClientException("metadata server " + hostPort((InetSocketAddress) channel.remoteAddress())
                    + " did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MetadataClientException m) {
                throw m;
            }
            throw new MetadataClientException(String.valueOf(e.getCause().getMessage()), null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetadataClientException("interrupted while waiting for the metadata server");
        }
    }

    private static String hostPort(InetSocketAddress a) {
        return a == null ? "?" : a.getHostString() + ":" + a.getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
