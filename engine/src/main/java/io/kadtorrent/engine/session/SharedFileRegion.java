package io.kadtorrent.engine.session;

import io.kadtorrent.engine.storage.FileSlice;
import io.netty.channel.DefaultFileRegion;

/**
 * A {@link DefaultFileRegion} over a file the store keeps open: releasing it after the write must
 * not close the store's channel, which {@link DefaultFileRegion} would do.
 */
final class SharedFileRegion extends DefaultFileRegion {

    SharedFileRegion(FileSlice slice) {
        super(slice.channel(), slice.position(), slice.lengthBytes());
    }

    @Override
    protected void deallocate() {
        // the channel belongs to the piece store
    }
}
