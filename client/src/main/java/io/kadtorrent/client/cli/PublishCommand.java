package io.kadtorrent.client.cli;

import io.kadtorrent.metadata.client.MetadataClient;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.torrent.metainfo.Metainfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code kadtorrent publish FILE.torrent --server HOST:PORT --key KEYFILE}. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
                "  kadtorrent publish photos.torrent --server 192.0.2.1:6880 --key alice.key"},
        description = "Sign a .torrent with your key and publish it on a metadata server.")
final class PublishCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.torrent")
    Path torrentFile;

    @Option(names = "--server", required = true, paramLabel = "HOST:PORT", converter = HostPortConverter.class)
    InetSocketAddress server;

    @Option(names = "--key", required = true, paramLabel = "KEYFILE", description = "Private key from 'kadtorrent keygen'.")
    Path keyFile;

    @Override
    public Integer call() throws Exception {
        Metainfo torrent = TorrentFileReader.read(torrentFile); // checks size and validity before sending
        byte[] bytes = Files.readAllBytes(torrentFile);
        SigningKey key = SigningKey.read(keyFile);
        try (MetadataClient client = MetadataClient.connect(server, Duration.ofSeconds(30))) {
            MetadataResponse.Published p = client.publish(bytes, key);
            spec.commandLine().getOut().println("info_hash: " + p.infoHash().hex());
            spec.commandLine().getOut().println((p.created() ? "published: " : "already published: ") + torrent.name());
        }
        return 0;
    }
}
