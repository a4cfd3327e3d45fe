package io.kadtorrent.daemon.api;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A failed request: the status and the message the client sees. */
final class ApiException extends RuntimeException {

    final HttpResponseStatus status;

    ApiException(HttpResponseStatus status, String message) {
        super(message);
        this.status = status;
    }
}
