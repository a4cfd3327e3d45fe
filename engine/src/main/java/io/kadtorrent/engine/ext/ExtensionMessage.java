package io.kadtorrent.engine.ext;

/**
 * One decoded BEP 10 extended message (peer wire message id 20): the extension handshake or a
 * message of an extension we speak. Consumers switch on the type.
 */
public sealed interface ExtensionMessage permits ExtensionHandshake, MetadataMessage, PexMessage {
}
