import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Raw Java SHA-1 throughput on in-memory 1 MiB blocks with N threads (no I/O): the JVM's limit,
 * beside `openssl speed -evp sha1`. Usage: java bench/create/Sha1Probe.java THREADS SECONDS
 * Prints "sha1_bytes_per_second <n>".
 */
public class Sha1Probe {
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        long millis = (long) (Double.parseDouble(args[1]) * 1000);
        AtomicLong hashed = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        long[] window = new long[2];
        for (int t = 0; t < threads; t++) {
            workers.add(new Thread(() -> {
                try {
                    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                    byte[] block = new byte[1 << 20];
                    long warmEnd = System.currentTimeMillis() + 500; // JIT warm-up, not counted
                    while (System.currentTimeMillis() < warmEnd) {
                        sha1.update(block);
                    }
                    long end = System.currentTimeMillis() + millis;
                    while (System.currentTimeMillis() < end) {
                        sha1.update(block);
                        hashed.addAndGet(block.length);
                    }
                    sha1.digest();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        System.out.println("sha1_bytes_per_second " + hashed.get() * 1000 / millis);
    }
}
