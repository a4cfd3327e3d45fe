package io.kadtorrent.engine.tracker;

import java.io.IOException;

/** A tracker refused us (its {@code failure reason}) or answered something we cannot use. */
public class TrackerException extends IOException {

    public TrackerException(String message) {
        super(message);
    }

    public TrackerException(String message, Throwable cause) {
        super(message, cause);
    }
}
