package io.kadtorrent.daemon;

import io.kadtorrent.daemon.Views.FileView;
import io.kadtorrent.daemon.Views.PeerView;
import io.kadtorrent.daemon.Views.TorrentDetails;
import io.kadtorrent.daemon.Views.TorrentView;
import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.engine.swarm.PeerInfo;
import io.kadtorrent.engine.swarm.SwarmStats;
import io.kadtorrent.torrent.layout.PieceLayout;
import io.kadtorrent.torrent.magnet.MagnetLink;
import io.kadtorrent.torrent.metainfo.FileEntry;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/** Builds the API's views of one torrent from its entry, its last sample and its swarm. */
final class TorrentViews {

    private TorrentViews() {
    }

    static TorrentView view(ManagedTorrent mt) {
        TorrentEntry e = mt.entry();
        ManagedTorrent.Sample s = mt.lastSample();
        boolean asleep = mt.isAsleep(); // complete, and its entry's summary has the size: no metainfo read
        Optional<Metainfo> m = asleep ? Optional.empty() : mt.metainfo();
        long size = asleep ? mt.asleepSizeBytes() : m.map(Metainfo::totalBytes).orElse(0L);
        Optional<BitSet> pieces = mt.torrent().flatMap(Torrent::store).map(st -> st.verifiedPieces());
        long verified = asleep ? size : pieces.map(v -> verifiedBytes(v, m.orElseThrow())).orElse(0L);
        long wanted = size;
        long wantedVerified = verified;
        List<FilePriority> priorities = Admission.prioritiesOf(e);
        if (m.isPresent() && !priorities.isEmpty()) {
            byte[] levels = FilePriority.pieceLevels(m.get().layout(), m.get().files(), priorities);
            BitSet have = pieces.orElse(new BitSet());
            wanted = 0;
            wantedVerified = 0;
            for (int i = 0; i < levels.length; i++) {
                if (levels[i] > 0) {
                    wanted += m.get().layout().pieceSize(i);
                    wantedVerified += have.get(i) ? m.get().layout().pieceSize(i) : 0;
                }
            }
        }
        SwarmStats stats = s.stats();
        double progress = wanted == 0 ? (m.isPresent() || asleep ? 1.0 : 0.0) : wantedVerified / (double) wanted;
        Long eta = null;
        if (wantedVerified < wanted && s.downRate() > 0) {
            eta = (wanted - wantedVerified + s.downRate() - 1) / s.downRate();
        }
        double ratio = size == 0 ? 0 : stats.uploadedBytes() / (double) size;
        String state = mt.state();
        return new TorrentView(e.infoHash(), e.name(), size, progress, state, stats.peers(), s.downRate(),
                s.upRate(), stats.downloadedBytes(), stats.uploadedBytes(), verified, ratio, eta, e.saveDir(),
                e.origin(), e.addedAt(), mt.problem().orElse(null), wanted, e.uploadLimit(), e.downloadLimit(),
                e.sequential());
    }

    private static long verifiedBytes(BitSet verified, Metainfo m) {
        PieceLayout layout = m.layout();
        long bytes = (long) verified.cardinality() * layout.pieceLengthBytes();
        int last = layout.pieceCount() - 1;
        if (last >= 0 && verified.get(last)) {
            bytes -= layout.pieceLengthBytes() - layout.pieceSize(last);
        }
        return bytes;
    }

    static TorrentDetails details(ManagedTorrent mt) {
        TorrentView view = view(mt);
        Optional<Metainfo> m = mt.metainfo();
        Optional<BitSet> verified = mt.torrent().flatMap(Torrent::store).map(s -> s.verifiedPieces());
        List<FilePriority> priorities = Admission.prioritiesOf(mt.entry());
        List<FileView> files = m.map(meta -> files(meta, verified.orElse(new BitSet()), priorities)).orElse(List.of());
        String pieces = m.map(meta -> Base64.getEncoder().encodeToString(bitfield(verified.orElse(new BitSet()),
                meta.pieceCount()))).orElse("");
        return new TorrentDetails(view, m.map(Metainfo::pieceCount).orElse(0),
                m.map(Metainfo::pieceLengthBytes).orElse(0), pieces, files, peers(mt),
                MagnetLink.of(mt.infoHash, mt.entry().name()).toUri());
    }

    static List<PeerView> peers(ManagedTorrent mt) {
        Optional<Torrent> t = mt.torrent();
        if (t.isEmpty()) {
            return List.of();
        }
        int pieceCount = mt.metainfo().map(Metainfo::pieceCount).orElse(0);
        List<PeerView> out = new ArrayList<>();
        for (PeerInfo p : t.get().peers()) {
            StringBuilder flags = new StringBuilder();
            if (!p.chokingUs() && p.downloadBytesPerSecond() > 0) {
                flags.append('D');
            }
            if (p.chokingUs()) {
                flags.append('d');
            }
            if (!p.choked() && p.uploadBytesPerSecond() > 0) {
                flags.append('U');
            }
            if (p.choked()) {
                flags.append('u');
            }
            flags.append(p.outgoing() ? 'O' : 'I');
            if (p.encrypted()) {
                flags.append('E');
            }
            out.add(new PeerView(Daemon.format(p.address()), ClientNames.of(p.peerId()), p.source(), p.outgoing(),
                    pieceCount == 0 ? 0 : Math.min(1.0, p.pieces() / (double) pieceCount),
                    p.downloadBytesPerSecond(), p.uploadBytesPerSecond(), flags.toString()));
        }
        return out;
    }

    static List<FileView> files(Metainfo m, BitSet verified, List<FilePriority> priorities) {
        PieceLayout layout = m.layout();
        List<FileView> out = new ArrayList<>();
        List<FileEntry> files = m.files();
        for (int i = 0; i < files.size(); i++) {
            long size = layout.fileLengthBytes(i);
            long have = 0;
            if (size > 0) {
                long start = layout.fileStart(i);
                long end = start + size;
                for (int p = layout.firstPieceOf(i); p <= layout.lastPieceOf(i); p = verified.nextSetBit(p + 1)) {
                    if (p < 0 || p > layout.lastPieceOf(i)) {
                        break;
                    }
                    if (verified.get(p)) {
                        long ps = layout.pieceStart(p);
                        have += Math.min(end, ps + layout.pieceSize(p)) - Math.max(start, ps);
                    }
                }
            }
            if (!files.get(i).isData()) {
                continue; // BEP 47 padding: not the user's data
            }
            out.add(new FileView(i, m.isSingleFile() ? m.name() : files.get(i).displayPath(), size,
                    size == 0 ? 1.0 : have / (double) size,
                    (priorities.isEmpty() ? FilePriority.NORMAL : priorities.get(i)).label()));
        }
        return out;
    }

    private static byte[] bitfield(BitSet pieces, int count) {
        byte[] out = new byte[(count + 7) / 8];
        for (int i = pieces.nextSetBit(0); i >= 0 && i < count; i = pieces.nextSetBit(i + 1)) {
            out[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
        return out;
    }
}
