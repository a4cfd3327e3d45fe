package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.rpc.TransactionId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link KrpcWriter} and {@link KrpcReader} against the general codec (the bencode library): the
 * same bytes out for every message, and never a different reading of any datagram, mutated or not.
 */
class KrpcFastPathProperties {

    private final KrpcCodecProperties messages = new KrpcCodecProperties();

    @Property(tries = 2_000)
    void writerProducesTheGeneralEncodersBytes(@ForAll("messages") KrpcMessage m,
                                               @ForAll("requesters") Optional<InetSocketAddress> requester) {
        Optional<InetSocketAddress> ip = m instanceof KrpcQuery ? Optional.empty() : requester;
        byte[] general = KrpcCodec.encodeGeneric(m, ip);
        byte[] wire = ip.isPresent() ? KrpcCodec.encodeReply(m, ip.get()) : KrpcCodec.encode(m);
        assertArrayEquals(general, wire, () -> HexFormat.of().formatHex(general));
    }

    @Property(tries = 2_000)
    void readerReadsWhatTheWriterWritesForEveryCommonMessage(@ForAll("messages") KrpcMessage m,
                                                             @ForAll("requesters") Optional<InetSocketAddress> requester)
            throws KrpcDecodeException {
        Optional<InetSocketAddress> ip = m instanceof KrpcQuery ? Optional.empty() : requester;
        byte[] wire = KrpcCodec.encodeGeneric(m, ip);
        KrpcMessage fast = KrpcReader.read(wire, KnownNodes.NONE);
        if (KrpcWriter.handles(m) && !(m instanceof KrpcError)) {
            assertNotNull(fast, "the reader declined a message it should read: " + m);
        }
        if (fast != null) {
            assertEquals(KrpcCodec.decodeGeneric(wire), fast);
        }
    }

    @Property(tries = 5_000)
    void readerNeverDisagreesWithTheGeneralDecoderOnMutatedDatagrams(@ForAll("messages") KrpcMessage m,
                                                                     @ForAll int position, @ForAll byte value,
                                                                     @ForAll("edits") int edit) {
        byte[] wire = KrpcCodec.encode(m);
        int at = Math.floorMod(position, wire.length);
        byte[] mutated = switch (edit) {
            case 0 -> Arrays.copyOf(wire, at);
            case 1 -> {
                byte[] b = wire.clone();
                b[at] = value;
                yield b;
            }
            default -> { // a byte inserted
                byte[] b = new byte[wire.length + 1];
                System.arraycopy(wire, 0, b, 0, at);
                b[at] = value;
                System.arraycopy(wire, at, b, at + 1, wire.length - at);
                yield b;
            }
        };
        KrpcMessage fast = KrpcReader.read(mutated, KnownNodes.NONE);
        if (fast == null) {
            return;
        }
        try {
            assertEquals(KrpcCodec.decodeGeneric(mutated), fast);
        } catch (KrpcDecodeException e) {
            fail("the reader accepted what the general decoder refuses (" + e.getMessage() + "): "
                    + HexFormat.of().formatHex(mutated));
        }
    }

    @Property(tries = 1_000)
    void aReplyWithItsNodesAsTableNumbersIsWrittenAsWithNodeObjects(@ForAll("messages") KrpcMessage m,
                                                                   @ForAll("requesters") Optional<InetSocketAddress> ip) {
        if (!(m instanceof KrpcResponse r) || !KrpcWriter.handles(r)) {
            return;
        }
        long[] words = new long[3 * r.nodes().size()];
        InetSocketAddress[] addresses = new InetSocketAddress[r.nodes().size()];
        for (int i = 0; i < addresses.length; i++) {
            for (int w = 0; w < 3; w++) {
                words[3 * i + w] = r.nodes().get(i).id().word(w);
            }
            addresses[i] = r.nodes().get(i).address();
        }
        KrpcResponse fromTable = new KrpcResponse(r.transactionId(), r.sender(), new CompactNodeList(words, addresses),
                r.values(), r.token());
        assertEquals(r.nodes(), fromTable.nodes());
        byte[] expected = ip.isPresent() ? KrpcCodec.encodeReply(r, ip.get()) : KrpcCodec.encode(r);
        assertArrayEquals(expected, ip.isPresent() ? KrpcCodec.encodeReply(fromTable, ip.get()) : KrpcCodec.encode(fromTable));
    }

    /** Every IPv4 node shared, as a simulated network does: the same message, made of the shared instances. */
    @Property(tries = 1_000)
    void sharedNodesDecodeToTheSameMessage(@ForAll("messages") KrpcMessage m) throws KrpcDecodeException {
        byte[] wire = KrpcCodec.encode(m);
        KnownNodes everyNode = (in, offset) -> new CompactNodeInfo(NodeId.of(in, offset),
                CompactPeer.read(in, offset + 20));
        assertEquals(KrpcCodec.decode(wire), KrpcCodec.decode(wire, everyNode));
        CompactNodeInfo one = new CompactNodeInfo(NodeId.of(new byte[20]),
                address(new byte[] {1, 2, 3, 4}, 5));
        KrpcMessage shared = KrpcCodec.decode(wire, (in, offset) -> one);
        if (shared instanceof KrpcResponse r) {
            r.nodes().stream().filter(n -> n.family() == AddressFamily.IPV4)
                    .forEach(n -> assertSame(one, n, "an IPv4 node not taken from the directory"));
        }
    }

    @Provide
    Arbitrary<KrpcMessage> messages() {
        Arbitrary<KrpcMessage> anyCode = Combinators.combine(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(4).map(TransactionId::new),
                Arbitraries.integers(), Arbitraries.strings().ofMaxLength(20)).as(KrpcError::new);
        return Arbitraries.frequencyOf(Tuple.of(9, messages.messages()), Tuple.of(1, anyCode));
    }

    @Provide
    Arbitrary<Integer> edits() {
        return Arbitraries.integers().between(0, 2);
    }

    @Provide
    Arbitrary<Optional<InetSocketAddress>> requesters() {
        Arbitrary<InetSocketAddress> v4 = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.integers().between(0, 65_535)).as(KrpcFastPathProperties::address);
        Arbitrary<InetSocketAddress> v6 = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(16),
                Arbitraries.integers().between(0, 65_535)).as(KrpcFastPathProperties::address);
        return Arbitraries.oneOf(v4, v6).optional();
    }

    private static InetSocketAddress address(byte[] ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
