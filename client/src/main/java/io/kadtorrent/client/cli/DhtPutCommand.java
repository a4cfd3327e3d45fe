package io.kadtorrent.client.cli;

import io.kadtorrent.dht.items.DhtItem;
import io.kadtorrent.dht.items.ImmutableItem;
import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.metadata.signing.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code kadtorrent dht put}: stores a BEP 44 item on the nodes closest to its target. Without {@code --key}
 * the item is immutable (its target is the SHA-1 of the bencoded value); with it, mutable: signed by the
 * key, under the key and {@code --salt}, at {@code --seq} (default: one above the seq the DHT holds now).
 * Prints {@code target: <40 hex>} and {@code stored: N nodes} (and {@code public_key:} and {@code seq:}).
 */
@Command(name = "put", mixinStandardHelpOptions = true,
        description = {"Store a value in the DHT (BEP 44): immutable, or mutable under your key with --key.",
                "Prints 'target: <40 hex>' (what 'dht get' takes) and 'stored: N nodes'."})
final class DhtPutCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ItemValueInput value;

    @Option(names = "--key", paramLabel = "KEYFILE",
            description = "Private key from 'kadtorrent keygen': store a mutable item signed with it.")
    Path keyFile;

    @Mixin
    SaltOption salt;

    @Option(names = "--seq", paramLabel = "N",
            description = "Sequence number of the mutable item (default: the DHT's current seq + 1, or 1).")
    Long seq;

    @Option(names = "--cas", paramLabel = "N",
            description = "Store only where the current seq is N (BEP 44 compare-and-swap).")
    Long cas;

    @Mixin
    DhtCommand.Join join;

    @Override
    public Integer call() throws Exception {
        if (keyFile == null && (salt.salt != null || seq != null || cas != null)) {
            throw new ParameterException(spec.commandLine(), "--salt, --seq and --cas need --key (a mutable item)");
        }
        if (seq != null && seq < 0) {
            throw new ParameterException(spec.commandLine(), "--seq must be >= 0");
        }
        ItemValue v = value.toValue(spec);
        PrintWriter out = spec.commandLine().getOut();
        if (keyFile == null) {
            ImmutableItem item = new ImmutableItem(v);
            int stored = join.withNode(node -> node.put(item, OptionalLong.empty()));
            report(out, item, stored);
            return 0;
        }
        SigningKey key = SigningKey.read(keyFile);
        byte[] saltBytes = salt.bytes(spec);
        MutableItem item = join.withNode(node -> node.getMutable(key.publicKey().bytes(), saltBytes)
                .thenCompose(current -> putMutable(node, key, saltBytes, v, current)));
        out.println("public_key: " + key.publicKey().hex());
        out.println("seq: " + item.seq());
        return 0;
    }

    /** Signs at the chosen seq and puts; completes with the item once at least one node stored it. */
    private CompletableFuture<MutableItem> putMutable(DhtNode node, SigningKey key, byte[] saltBytes, ItemValue v,
                                                      Optional<MutableItem> current) {
        long currentSeq = current.map(MutableItem::seq).orElse(0L);
        if (seq != null && current.isPresent() && seq < currentSeq) {
            return CompletableFuture.failedFuture(new IOException("--seq " + seq
                    + " is below the seq the DHT holds for this key and salt (" + currentSeq + ")"));
        }
        long chosen = seq != null ? seq : current.isPresent() ? currentSeq + 1 : 1;
        MutableItem item = key.signItem(saltBytes, chosen, v);
        OptionalLong expected = cas != null ? OptionalLong.of(cas) : OptionalLong.empty();
        return node.put(item, expected).thenApply(stored -> {
            try {
                report(spec.commandLine().getOut(), item, stored);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
            return item;
        });
    }

    private void report(PrintWriter out, DhtItem item, int stored) throws IOException {
        if (stored == 0) {
            throw new IOException("no DHT node stored the item (target " + item.target().hex() + ")"
                    + (cas != null ? "; a node holding another seq than --cas " + cas + " refuses it" : ""));
        }
        out.println("target: " + item.target().hex());
        out.println("stored: " + stored + " nodes");
        out.flush();
    }
}
