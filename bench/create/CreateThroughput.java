import io.kadtorrent.torrent.create.CreateOptions;
import io.kadtorrent.torrent.create.TorrentCreator;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.nio.file.Path;

/**
 * Warm-JVM hashing throughput of TorrentCreator, without JVM start-up and JIT warm-up: the engine
 * itself, for comparison with the whole-command times of bench/create/run.sh. Run from the repo
 * root: java -cp client/target/kadtorrent.jar bench/create/CreateThroughput.java DATA PIECE THREADS ROUNDS
 * Prints one line per round: "round <n> <seconds> <info_hash>".
 */
public class CreateThroughput {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        CreateOptions options = CreateOptions.defaults()
                .withPieceLengthBytes(Integer.parseInt(args[1]))
                .withThreads(Integer.parseInt(args[2]));
        int rounds = Integer.parseInt(args[3]);
        for (int r = 0; r <= rounds; r++) { // round 0 warms the JIT and is not printed
            long start = System.nanoTime();
            Metainfo m = TorrentCreator.create(data, options);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (r > 0) {
                System.out.printf("round %d %.4f %s%n", r, seconds, m.infoHash().hex());
            }
        }
    }
}
