import java.security.MessageDigest;
import java.util.Random;

/** Prints Java's single-thread SHA-1 speed in MB/s over 1 MiB updates (run: java Sha1Speed.java). */
public class Sha1Speed {
    public static void main(String[] args) throws Exception {
        byte[] buf = new byte[1 << 20];
        new Random(1).nextBytes(buf);
        MessageDigest md = MessageDigest.getInstance("SHA-1");
        for (int i = 0; i < 256; i++) {
            md.update(buf); // warm-up so the intrinsic is compiled
        }
        long start = System.nanoTime();
        int n = 1024;
        for (int i = 0; i < n; i++) {
            md.update(buf);
        }
        md.digest();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%.0f%n", n * (double) buf.length / seconds / 1e6);
    }
}
