package io.kadtorrent.client.cli;

import com.google.common.io.BaseEncoding;
import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.bencode.InvalidBencodeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * {@code kadtorrent dht get}: looks up a BEP 44 item, immutable by {@code TARGET} or mutable by
 * {@code --public-key} (and {@code --salt}), and prints it: {@code seq: N} for a mutable item, then
 * {@code value: <text>} when the value is a byte string of printable UTF-8, else
 * {@code bencoded_hex: <the bencoded value in hex>}. Nothing found is a failure (exit code 1).
 */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Look up a value in the DHT (BEP 44): immutable by TARGET (as 'dht put' printed it),",
                "or mutable by --public-key (hex or KEYFILE.pub) and --salt."})
final class DhtGetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "TARGET", description = "40 hex: the target of an immutable item.")
    String target;

    @Option(names = "--public-key", paramLabel = "HEX|KEYFILE.pub",
            description = "The signer's Ed25519 public key: 64 hex, or a .pub file from 'kadtorrent keygen'.")
    String publicKey;

    @Mixin
    SaltOption salt;

    @Mixin
    DhtCommand.Join join;

    @Override
    public Integer call() throws Exception {
        if ((target == null) == (publicKey == null)) {
            throw new ParameterException(spec.commandLine(), "give a TARGET (immutable) or --public-key (mutable), not both");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (target != null) {
            if (salt.salt != null) {
                throw new ParameterException(spec.commandLine(), "--salt goes with --public-key");
            }
            NodeId id = parseTarget();
            ItemValue v = join.withNode(node -> node.getImmutable(id)).orElseThrow(() ->
                    new IOException("no immutable item found under target " + id.hex()))
                    .value();
            out.println("target: " + id.hex());
            out.println(describe(v));
        } else {
            byte[] key = parseKey().bytes();
            byte[] saltBytes = salt.bytes(spec);
            MutableItem item = join.withNode(node -> node.getMutable(key, saltBytes)).orElseThrow(() ->
                    new IOException("no mutable item found for key " + BaseEncoding.base16().lowerCase().encode(key)
                            + (saltBytes.length > 0 ? " and salt '" + salt.salt + "'" : "")));
            out.println("target: " + item.target().hex());
            out.println("seq: " + item.seq());
            out.println(describe(item.value()));
        }
        out.flush();
        return 0;
    }

    /**
     * The output line for {@code v}: {@code value: <text>} for a bencoded byte string that is printable
     * UTF-8 (what {@code dht put --value} stores), else {@code bencoded_hex: <hex>}.
     */
    static String describe(ItemValue v) {
        byte[] encoded = v.bytes();
        try {
            if (BencodeCodec.decode(encoded, BencodeLimits.DATAGRAM) instanceof byte[] string) {
                String text = UTF_8.newDecoder().decode(ByteBuffer.wrap(string)).toString();
                if (text.codePoints().noneMatch(Character::isISOControl)) {
                    return "value: " + text;
                }
            }
        } catch (InvalidBencodeException | CharacterCodingException e) {
            // not text: shown as hex below
        }
        return "bencoded_hex: " + BaseEncoding.base16().lowerCase().encode(encoded);
    }

    private NodeId parseTarget() {
        if (target.length() != NodeId.LENGTH * 2 || !BaseEncoding.base16().lowerCase().canDecode(target.toLowerCase())) {
            throw new ParameterException(spec.commandLine(), "TARGET must be 40 hex digits, got '" + target + "'");
        }
        return NodeId.parse(target.toLowerCase());
    }

    private PublisherKey parseKey() throws IOException {
        String hex = publicKey.toLowerCase();
        if (hex.length() == PublisherKey.LENGTH * 2 && BaseEncoding.base16().lowerCase().canDecode(hex)) {
            return PublisherKey.of(BaseEncoding.base16().lowerCase().decode(hex));
        }
        return PublisherKey.read(Path.of(publicKey));
    }
}
