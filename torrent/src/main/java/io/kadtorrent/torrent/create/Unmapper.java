package io.kadtorrent.torrent.create;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.MappedByteBuffer;

/**
 * Unmaps a memory-mapped file region now instead of whenever the garbage collector frees its
 * buffer. Java 17 has no public API for this; {@code sun.misc.Unsafe.invokeCleaner} (module
 * {@code jdk.unsupported}) is the supported way until then. Where it is missing, unmapping is
 * left to the garbage collector, which is correct, only later.
 *
 * <p>The caller must not touch the buffer, or any slice of it, afterwards: that would read
 * unmapped memory.
 */
final class Unmapper {

    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method invokeCleaner = null;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            invokeCleaner = type.getMethod("invokeCleaner", java.nio.ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unsafe = null;
            invokeCleaner = null;
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = invokeCleaner;
    }

    private Unmapper() {
    }

    static void unmap(MappedByteBuffer buffer) {
        if (INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, buffer);
        } catch (IllegalAccessException | InvocationTargetException e) {
            // not unmapped now; the garbage collector will do it
        }
    }
}
