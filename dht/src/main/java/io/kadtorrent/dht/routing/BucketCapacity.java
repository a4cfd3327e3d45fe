package io.kadtorrent.dht.routing;

import java.util.Arrays;

/**
 * How many entries each k-bucket of a {@link RoutingTable} holds. BEP 5 gives every bucket {@link KBucket#K} = 8.
 * A wider table (libtorrent's "extended routing table") gives the buckets farthest from our id more room: bucket 0
 * covers half of the id space, bucket 1 a quarter, and so on, so extra entries there make a lookup's first hop land
 * several bits closer to any target, at a cost of a few hundred entries per node. Replies still carry K nodes.
 * BEP 5's rules hold inside each bucket whatever its size (a good node is never evicted for an unknown one).
 */
public final class BucketCapacity {

    /** K = 8 in every bucket, as BEP 5 describes. */
    public static final BucketCapacity STANDARD = new BucketCapacity(new int[0]);

    /** 128 / 64 / 32 / 16 entries in the four farthest buckets, K in the rest (libtorrent's extended table). */
    public static final BucketCapacity WIDE = farBuckets(128, 64, 32, 16);

    private final int[] far; // far[i]: capacity of bucket i; buckets past the end hold K

    private BucketCapacity(int[] far) {
        this.far = far;
    }

    /**
     * {@code sizes[i]} entries in bucket {@code i} for the first {@code sizes.length} buckets, K in the others.
     * Each size is at least K (a bucket never holds fewer than BEP 5's) and at most 255.
     */
    public static BucketCapacity farBuckets(int... sizes) {
        for (int s : sizes) {
            if (s < KBucket.K || s > 255) {
                throw new IllegalArgumentException("bucket sizes must be " + KBucket.K + "..255: " + Arrays.toString(sizes));
            }
        }
        return new BucketCapacity(sizes.clone());
    }

    /** {@link #farBuckets} from a comma-separated list such as {@code "128,64,32,16"}. */
    public static BucketCapacity parse(String sizes) {
        try {
            return farBuckets(Arrays.stream(sizes.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bucket sizes must be comma-separated numbers: " + sizes, e);
        }
    }

    /** The most entries bucket {@code bucket} (0 = farthest from our id) may hold. */
    public int of(int bucket) {
        return bucket < far.length ? far[bucket] : KBucket.K;
    }

    /** True if some bucket holds more than K. */
    public boolean wide() {
        return far.length > 0 && Arrays.stream(far).anyMatch(s -> s > KBucket.K);
    }

    @Override
    public String toString() {
        return wide() ? "far buckets " + Arrays.toString(far) + " then " + KBucket.K : "K = " + KBucket.K;
    }
}
