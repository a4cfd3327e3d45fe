package io.kadtorrent.engine.storage;

import java.nio.channels.FileChannel;

/**
 * A run of bytes inside one open file, for zero-copy sending. The channel belongs to the store and
 * stays open while the store is; whoever sends the slice must not close it.
 */
public record FileSlice(FileChannel channel, long position, int lengthBytes) {
}
