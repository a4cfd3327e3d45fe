package io.kadtorrent.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.client.MetadataClient;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.torrent.magnet.MagnetLink;
import io.kadtorrent.torrent.metainfo.InfoHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code share} and {@code unshare}: the daemon seeds a file or folder from where it is, optionally published on a
 * metadata server or listed in the DHT, and {@code unshare} takes back what {@code share --publish} put out.
 * {@code share} prints {@code info_hash: <hex>} first (DESIGN.md's CLI contract).
 */
final class ShareCommands {

    private ShareCommands() {
    }

    @Command(name = "share", mixinStandardHelpOptions = true,
            description = "Share a file or folder: the daemon creates its torrent and seeds it from where it is; with --publish, publish it too.",
            footerHeading = "%nExamples:%n",
            footer = {"  kadtorrent share ~/photos", "  kadtorrent share ~/photos --publish 192.0.2.1:6880 --key me.key",
                    "  kadtorrent share ~/photos --dht --key me.key --bootstrap 192.0.2.1:6881"})
    static final class Share extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "PATH")
        Path source;

        @Option(names = "--publish", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
                description = "Metadata server to publish the torrent on.")
        InetSocketAddress publish;

        @Option(names = "--key", paramLabel = "KEYFILE", description = "Private key from 'kadtorrent keygen' (with --publish or --dht).")
        Path key;

        @Option(names = "--dht", description = {"Also list it in your catalog in the DHT (BEP 46, as publish --dht):",
                "the daemon seeds the catalog, and the pointer is put once (needs --bootstrap)."})
        boolean dht;

        @Mixin
        SaltOption salt = new SaltOption();

        @Mixin
        DhtOptions dhtOptions = new DhtOptions(); // with --dht: how to join the DHT for the pointer put

        @Override
        void checkUsage() {
            if ((publish != null || dht) != (key != null)) {
                throw new ParameterException(spec.commandLine(), "--key goes with --publish or --dht, and they need it");
            }
            if (!dht && (salt.salt != null || !dhtOptions.bootstrap.isEmpty())) {
                throw new ParameterException(spec.commandLine(), "--salt and --bootstrap go with --dht");
            }
            if (dht && dhtOptions.bootstrap.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--dht needs --bootstrap HOST:PORT to join the DHT");
            }
            salt.bytes(spec); // a salt over BEP 44's limit
        }

        @Override
        void run(DaemonClient daemon) throws Exception {
            byte[] saltBytes = salt.bytes(spec);
            Path abs = source.toAbsolutePath().normalize();
            if (!Files.exists(abs)) {
                throw new ParameterException(spec.commandLine(), "nothing to share at " + source + ": no such file or folder");
            }
            SigningKey signer = key == null ? null : SigningKey.read(key); // a bad key fails before any hashing
            JsonNode added = daemon.post("/api/v1/torrents", Map.of("share", abs.toString()),
                    DaemonClient.SHARE_TIMEOUT_MILLIS);
            JsonNode t = added.get("torrent");
            String hash = t.get("info_hash").asText();
            out().println("info_hash: " + hash);
            out().println("magnet: " + MagnetLink.of(InfoHash.parse(hash), t.get("name").asText()).toUri());
            out().println((added.get("existed").asBoolean() ? "already shared: " : "sharing: ") + t.get("name").asText()
                    + " (" + ByteSize.format(t.get("size_bytes").asLong()) + ")");
            if (publish != null) {
                Path torrentFile = state.dir().resolve("torrents").resolve(hash + ".torrent");
                try (MetadataClient client = MetadataClient.connect(publish, Duration.ofSeconds(30))) {
                    MetadataResponse.Published p = client.publish(Files.readAllBytes(torrentFile), signer);
                    out().println((p.created() ? "published: " : "already published: ") + t.get("name").asText()
                            + " on " + Addresses.format(publish));
                    if (p.nameTakenByOtherKey()) {
                        spec.commandLine().getErr().println("note: other publishers also use the name "
                                + t.get("name").asText() + " on that server; people pick yours with --trust "
                                + key.toAbsolutePath() + ".pub");
                    }
                }
                Publications.remember(state.dir(), hash, Addresses.format(publish), key.toAbsolutePath());
            }
            if (dht) {
                ShareInDht.publish(daemon, state.dir(), TorrentFileReader.read(
                        state.dir().resolve("torrents").resolve(hash + ".torrent")), signer, saltBytes, dhtOptions, out());
            }
        }
    }

    @Command(name = "unshare", mixinStandardHelpOptions = true, description = "Stop sharing: remove the torrent from the daemon, keeping the files.")
    static final class Unshare extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        void run(DaemonClient daemon) throws Exception {
            JsonNode t = daemon.delete(path(id));
            String hash = t.get("info_hash").asText();
            out().println("unshared: " + t.get("name").asText() + " (files kept in " + t.get("save_dir").asText() + ")");
            for (Publications.Publication p : Publications.of(state.dir(), hash)) {
                // share --publish put it there: take it back with the same key
                try (MetadataClient client = MetadataClient.connect(HostAndPort.fromString(p.server()),
                        Duration.ofSeconds(30))) {
                    client.unpublish(InfoHash.parse(hash), SigningKey.read(Path.of(p.key())));
                    out().println("unpublished: " + t.get("name").asText() + " from " + p.server());
                } catch (io.kadtorrent.metadata.client.MetadataClientException e) {
                    if (e.code().map(c -> c.code() != 404).orElse(true)) {
                        throw new DaemonClient.DaemonException("stopped sharing, but could not unpublish from "
                                + p.server() + ": " + e.getMessage(), 0);
                    }
                }
                Publications.forget(state.dir(), hash, p);
            }
        }
    }
}
