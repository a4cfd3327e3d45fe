package io.kadtorrent.daemon;

import com.google.common.net.HostAndPort;
import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.pick.FileSelection;
import io.kadtorrent.metadata.client.TorrentSource;
import io.kadtorrent.torrent.create.CreateOptions;
import io.kadtorrent.torrent.create.TorrentCreator;
import io.kadtorrent.torrent.magnet.MagnetLink;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.InvalidMetainfoException;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an add request becomes: the entry the daemon remembers and the torrent, when its metadata is known
 * (from the request's bytes, a metadata server, or a folder to share); a magnet's comes later from peers.
 */
record Admission(TorrentEntry entry, Metainfo metainfo) {

    /** Reads {@code request}; bad input throws {@link IllegalArgumentException} with the reason. */
    static Admission of(Daemon.AddRequest request, Path downloadDir) throws IOException {
        int sources = count(request.torrent() != null, request.magnet() != null, request.infoHash() != null,
                request.name() != null, request.share() != null);
        if (sources != 1) {
            throw new IllegalArgumentException(
                    "give exactly one of: torrent (base64), magnet, info_hash, name (with server), share (a path)");
        }
        List<InetSocketAddress> peers = parsePeers(request.peers());
        if (request.share() != null) {
            return share(Path.of(request.share()), request.paused());
        }
        Path saveDir = request.saveDir() != null ? absolute(request.saveDir()) : downloadDir;
        Metainfo metainfo = null;
        MagnetLink magnet = null;
        String origin;
        if (request.torrent() != null) {
            metainfo = parseTorrent(request.torrent());
            origin = "torrent";
        } else if (request.name() != null) {
            if (request.server() == null) {
                throw new IllegalArgumentException("a name needs a metadata server (server: host:port)");
            }
            metainfo = TorrentSource.fetch(request.name(), HostAndPort.fromString(request.server()), Optional.empty());
            origin = "server";
        } else if (request.magnet() != null) {
            magnet = MagnetLink.parse(request.magnet());
            origin = "magnet";
        } else {
            magnet = MagnetLink.of(InfoHash.parse(request.infoHash()), null);
            origin = "magnet";
        }
        if (magnet != null) {
            List<InetSocketAddress> all = new ArrayList<>(peers);
            magnet.peers().forEach(p -> all.add(new InetSocketAddress(p.getHost(), p.getPort())));
            peers = all;
        }
        InfoHash infoHash = metainfo != null ? metainfo.infoHash() : magnet.infoHash();
        String name = metainfo != null ? metainfo.name() : magnet.displayName().orElse(infoHash.hex());
        FileSelection selection = new FileSelection(request.only(), request.skip(),
                magnet == null ? List.of() : magnet.selectOnly()); // a bad glob throws here
        List<String> priorities = null;
        TorrentEntry.Selection pending = null;
        if (!selection.isAll() && metainfo != null) {
            priorities = selection.priorities(metainfo).stream().map(FilePriority::label).toList();
        } else if (!selection.isAll()) {
            pending = new TorrentEntry.Selection(request.only(), request.skip()); // so= stays in the magnet
        }
        TorrentEntry entry = new TorrentEntry(infoHash.hex(), name, saveDir.toString(), origin,
                magnet == null ? null : magnet.toUri(), peers.stream().map(Daemon::format).toList(), request.paused(),
                false, System.currentTimeMillis() / 1000, priorities, pending, 0, 0, request.sequential(), null);
        return new Admission(entry, metainfo);
    }

    /** The file choice remembered for a magnet, with its {@code so=}, for when its file list arrives. */
    static FileSelection selectionOf(TorrentEntry entry) {
        List<Integer> so = entry.magnet() == null ? List.of() : MagnetLink.parse(entry.magnet()).selectOnly();
        TorrentEntry.Selection s = entry.select();
        return new FileSelection(s == null ? List.of() : s.only(), s == null ? List.of() : s.skip(), so);
    }

    /** The remembered priorities of a torrent's files (empty: all normal). */
    static List<FilePriority> prioritiesOf(TorrentEntry entry) {
        return entry.filePriorities() == null ? List.of()
                : entry.filePriorities().stream().map(FilePriority::parse).toList();
    }

    private static int count(boolean... given) {
        int n = 0;
        for (boolean g : given) {
            n += g ? 1 : 0;
        }
        return n;
    }

    private static Path absolute(String path) {
        Path p = Path.of(path);
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("save_dir must be an absolute path: " + path);
        }
        return p.normalize();
    }

    static Metainfo parseTorrent(byte[] bytes) {
        try {
            return MetainfoParser.parse(bytes);
        } catch (RuntimeException | InvalidMetainfoException e) {
            throw new IllegalArgumentException("not a valid .torrent: " + e.getMessage(), e);
        }
    }

    static List<InetSocketAddress> parsePeers(List<String> peers) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String p : peers) {
            HostAndPort hp;
            try {
                hp = HostAndPort.fromString(p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad peer address " + p + ": " + e.getMessage(), e);
            }
            if (!hp.hasPort() || hp.getPort() == 0) {
                throw new IllegalArgumentException("peer address " + p + " needs a port");
            }
            out.add(new InetSocketAddress(hp.getHost(), hp.getPort()));
        }
        return out;
    }

    /** Creates a torrent of {@code path} (a file or folder) and seeds it from where it is. */
    private static Admission share(Path path, boolean paused) throws IOException {
        Path source = path.toAbsolutePath().normalize();
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("share needs an absolute path: " + path);
        }
        if (!Files.exists(source)) {
            throw new IllegalArgumentException("nothing to share at " + path + ": no such file or folder");
        }
        if (source.getParent() == null) {
            throw new IllegalArgumentException("cannot share a file system root: " + path);
        }
        Metainfo metainfo = TorrentCreator.create(source, CreateOptions.defaults());
        TorrentEntry entry = new TorrentEntry(metainfo.infoHash().hex(), metainfo.name(), source.getParent().toString(),
                "share", null, List.of(), paused, false, System.currentTimeMillis() / 1000);
        return new Admission(entry, metainfo);
    }
}
